/**
 * The mutable state of one virtual card: per-application file tables (non-volatile: PIN values
 * and retry counters survive power cycles), the current selection and the security status
 * (volatile: lost on power-off only, kept across a warm reset — jpki-card.md §8).
 *
 * @example
 * ```ts
 * const state = createCardState(image, random);
 * ```
 */
import type { ApplicationSpec, BinaryFileSpec, CardImage, KeyFileSpec, RecordFileSpec } from './card-file.js';
import type { PinFormat } from './pin-format.js';

/** A PIN key EF with its live counter. */
export interface PinState {
  readonly kind: 'pin';
  readonly fid: number;
  readonly format: PinFormat;
  readonly maxTries: number;
  /** ASCII reference value; `null` when the key can never be verified. */
  value: Uint8Array | null;
  triesLeft: number;
  /** Issued without reference data (see PinFileSpec.notSet). */
  readonly notSet: boolean;
}

export type FileState = BinaryFileSpec | RecordFileSpec | KeyFileSpec | PinState;

export interface ApplicationState {
  readonly spec: ApplicationSpec;
  readonly files: ReadonlyMap<number, FileState>;
  /** Short EF identifiers (ISO 7816-4 §7.2.2): the FID's low byte for FIDs 0001–001E. */
  readonly bySfi: ReadonlyMap<number, FileState>;
}

export interface CardState {
  readonly image: CardImage;
  readonly applications: readonly ApplicationState[];
  readonly random: (length: number) => Uint8Array;
  /** Current DF; `null` = MF level (after power-on or SELECT of the GP ISD). */
  application: ApplicationState | null;
  /** Current EF within the current DF. */
  file: FileState | null;
  /** Keys verified since power-on. */
  readonly verified: Set<PinState>;
  /** Last GET CHALLENGE and the application it was issued in (internal authentication). */
  challenge: { readonly application: ApplicationState | null; readonly bytes: Uint8Array } | null;
}

/** Largest FID that has a short EF identifier (SFI 1..30, ISO 7816-4 §5.3.1.1). */
const MAX_SFI = 0x1e;

function toFileState(file: ApplicationSpec['files'][number]): FileState {
  if (file.kind !== 'pin') return file;
  return {
    kind: 'pin',
    fid: file.fid,
    format: file.format,
    maxTries: file.maxTries,
    value: file.value === null ? null : new TextEncoder().encode(file.value),
    triesLeft: file.value === null ? 0 : file.triesLeft,
    notSet: file.notSet === true,
  };
}

/** Builds fresh state for a card image. */
export function createCardState(image: CardImage, random: (length: number) => Uint8Array): CardState {
  const applications = image.applications.map((spec): ApplicationState => {
    const files = new Map<number, FileState>();
    const bySfi = new Map<number, FileState>();
    for (const file of spec.files) {
      const state = toFileState(file);
      files.set(file.fid, state);
      if (file.fid >= 1 && file.fid <= MAX_SFI) bySfi.set(file.fid, state);
    }
    return { spec, files, bySfi };
  });
  return {
    image,
    applications,
    random,
    application: null,
    file: null,
    verified: new Set(),
    challenge: null,
  };
}
