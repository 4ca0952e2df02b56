/**
 * The one assertion helper at kakunin's public boundaries (architecture.md: Uint8Array in/out).
 *
 * @example
 * ```ts
 * assertBytes(command, 'transmit: command');        // TypeError unless a Uint8Array
 * assertBytes(key, 'masterKey', 16);                // RangeError unless exactly 16 bytes
 * ```
 */

/**
 * Throws a `TypeError` ("<name> must be a Uint8Array") unless `value` is a Uint8Array, and a
 * `RangeError` ("<name> must be <length> bytes, got <n>") when `length` is given and differs.
 */
export function assertBytes(value: unknown, name: string, length?: number): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  if (length !== undefined && value.length !== length)
    throw new RangeError(`${name} must be ${length} bytes, got ${value.length}`);
}
