/**
 * Builds the 共通カードAP (jpki-card.md §6): record EF 0001 (SFI 1) whose record 1 is
 * `01 1C` + 28 ASCII digits = card serial (15) + municipality code (5) + expiry `YYYYMMDD`
 * ([SOL] interpretation), and the 住基 (個人番号カード用) PIN EF 001C (4 digits, 3 tries).
 *
 * @example
 * ```ts
 * buildCommonApplet({ person, residentPin: '1234' });
 * ```
 */
import { FREE } from '../card/access-rule.js';
import type { ApplicationSpec } from '../card/card-file.js';
import { AID, COMMON_EF } from '../card/card-identifiers.js';
import { PIN_FORMAT } from '../card/pin-format.js';
import type { SyntheticPerson } from '../person/synthetic-person.js';

/** Simple-TLV tag of the card record (jpki-card.md §6). */
const TAG_CARD_RECORD = 0x01;
/** Retry limit of the 住基 PIN (jpki-card.md §6: 3 tries). */
export const RESIDENT_PIN_TRIES = 3;

export interface CommonAppletContent {
  readonly person: SyntheticPerson;
  readonly residentPin: string;
  readonly residentPinTriesLeft?: number;
}

/**
 * Record 1 of EF 0001.
 *
 * @example
 * ```ts
 * encodeCardRecord(person); // 01 1C + serial ‖ municipality ‖ expiry
 * ```
 */
export function encodeCardRecord(person: SyntheticPerson): Uint8Array {
  const text = person.cardSerial + person.municipality.code + person.cardExpiresOn;
  const bytes = new TextEncoder().encode(text);
  return Uint8Array.of(TAG_CARD_RECORD, bytes.length, ...bytes);
}

/** The common card AP. */
export function buildCommonApplet(content: CommonAppletContent): ApplicationSpec {
  return {
    kind: 'common',
    aid: AID.COMMON,
    files: [
      {
        kind: 'record',
        fid: COMMON_EF.CARD_RECORD,
        records: [encodeCardRecord(content.person)],
        access: FREE,
      },
      {
        kind: 'pin',
        fid: COMMON_EF.RESIDENT_PIN,
        format: PIN_FORMAT.FOUR_DIGITS,
        value: content.residentPin,
        maxTries: RESIDENT_PIN_TRIES,
        triesLeft: content.residentPinTriesLeft ?? RESIDENT_PIN_TRIES,
      },
    ],
  };
}
