/**
 * Who may read a file: nobody, anybody, or the holder of any one of a set of verified keys
 * (the per-key access matrix of ../shared/spec/jpki-card.md §3.1, §4, §5.3).
 *
 * @example
 * ```ts
 * const rule: AccessRule = { read: [TEXT_EF.PIN, TEXT_EF.VERIFICATION_A] }; // PIN or 照合番号A
 * ```
 */
export interface AccessRule {
  /** `free`: no PIN; `never`: always 69 82; otherwise any one of these key EFs must be verified. */
  readonly read: 'free' | 'never' | readonly number[];
}

/**
 * A file anyone may read.
 *
 * @example
 * ```ts
 * const file: BinaryFileSpec = { kind: 'binary', fid: 0x000b, content, access: FREE };
 * ```
 */
export const FREE: AccessRule = Object.freeze({ read: 'free' });
/**
 * A file nobody may read (69 82).
 *
 * @example
 * ```ts
 * const file: BinaryFileSpec = { kind: 'binary', fid: 0x0009, content, access: NEVER };
 * ```
 */
export const NEVER: AccessRule = Object.freeze({ read: 'never' });

/**
 * Readable after VERIFY of any of `keys`.
 *
 * @example
 * ```ts
 * afterAnyOf(TEXT_EF.PIN, TEXT_EF.VERIFICATION_B); // text AP EF 0002
 * ```
 */
export function afterAnyOf(...keys: number[]): AccessRule {
  return { read: Object.freeze([...keys]) };
}

/** True when `rule` admits a reader holding `verified` keys. */
export function isSatisfied(rule: AccessRule, verified: (fid: number) => boolean): boolean {
  if (rule.read === 'free') return true;
  if (rule.read === 'never') return false;
  return rule.read.some(verified);
}
