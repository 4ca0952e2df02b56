/**
 * Fuzz target: the strict DER reader (`@kakunin/core/der`). Walks the input with `DerCursor`
 * (entering every constructed element, bounded depth) and runs every primitive decoder on every
 * element whatever its tag — integers, OIDs, booleans, NULL, times, strings, bit strings — then
 * `validateDer` on the whole. Oracles: an INTEGER or OID the strict validator accepted re-encodes
 * (`derInteger`, `derOid`) to exactly its input bytes.
 *
 * @example
 * ```ts
 * derTarget.execute(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x2a));
 * ```
 */
import {
  DerCursor,
  decodeString,
  decodeTime,
  decodeUnsignedInteger,
  derInteger,
  derOid,
  STRING_TAGS,
  TAG_BIT_STRING,
  TAG_BOOLEAN,
  TAG_CLASS_MASK,
  TAG_ENUMERATED,
  TAG_GENERALIZED_TIME,
  TAG_INTEGER,
  TAG_NULL,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_UTC_TIME,
  validateDer,
} from '@kakunin/core/der';
import { CardError } from '@kakunin/core/transport';
import { bucket, type FuzzTarget, guard, oracle, sameBytes } from '../fuzz-target.js';
import { pkiSeeds } from '../seeds/pki-objects.js';

/** Elements decoded per input at most (keeps one input's work bounded). */
const MAX_ELEMENTS = 2048;
/** Context-specific / OCTET STRING elements that get every decoder (the rest get none). */
const MAX_HIDDEN_TYPE_ELEMENTS = 64;
/** INTEGER contents longer than this are not turned into a bigint by the harness (RSA-4096 fits). */
const MAX_BIGINT_CONTENT = 1024;

function attempt(decode: () => unknown): void {
  try {
    decode();
  } catch (error) {
    if (!CardError.isInstance(error)) throw error;
  }
}

/**
 * Runs the decoder(s) for the element's tag; context-specific and OCTET STRING elements (whose
 * real type is hidden by IMPLICIT tagging) get every decoder.
 */
function decodeElement(cursor: DerCursor, budget: { hidden: number }): void {
  switch (cursor.tag) {
    case TAG_INTEGER:
    case TAG_ENUMERATED:
      attempt(() => (cursor.length <= MAX_BIGINT_CONTENT ? cursor.integer() : undefined));
      attempt(() => cursor.smallInteger());
      attempt(() => decodeUnsignedInteger(cursor.bytes, cursor.valueStart, cursor.valueEnd));
      return;
    case TAG_OID:
      attempt(() => cursor.oid());
      return;
    case TAG_BOOLEAN:
      attempt(() => cursor.boolean());
      return;
    case TAG_NULL:
      attempt(() => cursor.null());
      return;
    case TAG_UTC_TIME:
    case TAG_GENERALIZED_TIME:
      attempt(() => cursor.time());
      return;
    case TAG_BIT_STRING:
      attempt(() => cursor.bitString());
      return;
    default:
      if (STRING_TAGS.has(cursor.tag)) {
        attempt(() => cursor.string());
        return;
      }
      if (cursor.tag !== TAG_OCTET_STRING && (cursor.tag & TAG_CLASS_MASK) === 0) return;
      if (--budget.hidden < 0) return;
      attempt(() => (cursor.length <= MAX_BIGINT_CONTENT ? cursor.integer() : undefined));
      attempt(() => cursor.smallInteger());
      attempt(() => cursor.oid());
      attempt(() => cursor.boolean());
      attempt(() => cursor.null());
      attempt(() => decodeTime(TAG_UTC_TIME, cursor.bytes, cursor.valueStart, cursor.valueEnd));
      attempt(() => decodeTime(TAG_GENERALIZED_TIME, cursor.bytes, cursor.valueStart, cursor.valueEnd));
      for (const tag of STRING_TAGS)
        attempt(() => decodeString(tag, cursor.bytes, cursor.valueStart, cursor.valueEnd));
      attempt(() => cursor.bitString());
  }
}

/** Walks every element (depth-first, entering constructed ones); returns the element count. */
export function walkDer(input: Uint8Array): number {
  const cursor = new DerCursor(input, 0, input.length, { maxDepth: 64 });
  let count = 0;
  const budget = { hidden: MAX_HIDDEN_TYPE_ELEMENTS };
  for (;;) {
    while (cursor.atEnd) {
      if (cursor.depth === 0) return count;
      cursor.leave();
    }
    cursor.next();
    if (++count > MAX_ELEMENTS) return count;
    if (cursor.constructed) cursor.enter();
    else decodeElement(cursor, budget);
  }
}

/** After validateDer accepted the input: re-encode INTEGERs and OIDs and compare. */
function checkRoundTrips(input: Uint8Array): void {
  const cursor = new DerCursor(input, 0, input.length, { maxDepth: 64 });
  for (;;) {
    while (cursor.atEnd) {
      if (cursor.depth === 0) return;
      cursor.leave();
    }
    cursor.next();
    if (cursor.tag === TAG_INTEGER && cursor.length <= MAX_BIGINT_CONTENT)
      oracle(
        sameBytes(derInteger(cursor.integer()), cursor.element()),
        `INTEGER at ${cursor.start} re-encodes differently`,
      );
    else if (cursor.tag === TAG_OID)
      oracle(
        sameBytes(derOid(cursor.oid()), cursor.element()),
        `OID at ${cursor.start} re-encodes differently`,
      );
    if (cursor.constructed) cursor.enter();
  }
}

export const derTarget: FuzzTarget = {
  name: 'der',
  description: 'DerCursor walk + every primitive decoder + validateDer (@kakunin/core/der)',
  maxInputLength: 65_536,
  seeds: async (context) => {
    const { certificates, crls } = await pkiSeeds(context.repositoryRoot);
    return [...certificates.slice(0, 64), ...crls.slice(0, 8)];
  },
  execute(input) {
    const walked = guard(() => bucket(walkDer(input)));
    const elements = validateDer(input, { maxDepth: 64, maxElements: 20_000 });
    checkRoundTrips(input);
    return `w${walked}:v${bucket(elements)}`;
  },
};
