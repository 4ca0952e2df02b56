/**
 * Looks for secrets (PINs, passwords) in everything a flow left behind: text (log lines, trace
 * events, error messages and JSON, CLI output, stored records) and bytes (a network capture, a
 * database file). A secret is searched in every form a careless program would write it:
 * - as text — digits not embedded in a longer number or hex run (so a 13-digit timestamp that
 *   happens to contain "4721" is not a hit), letters case-insensitively;
 * - as hex of its ASCII bytes, with or without separators, any case (a traced APDU);
 * - as a decimal byte list (`JSON.stringify` of a Uint8Array or an array);
 * - as base64 of its bytes at every alignment (a serialised buffer);
 * - as raw ASCII and UTF-16LE bytes (captures and files).
 *
 * @example
 * ```ts
 * const scanner = new SecretScanner([{ label: 'auth PIN', value: '4721' }]);
 * scanner.text('trace', JSON.stringify(events));
 * expect(scanner.hits).toEqual([]);
 * ```
 */

export interface Secret {
  readonly label: string;
  readonly value: string;
}

export interface Hit {
  readonly secret: string;
  readonly source: string;
  readonly form: string;
  /** Up to 40 characters around the hit, with the secret itself masked. */
  readonly context: string;
}

interface Pattern {
  readonly form: string;
  readonly regex: RegExp;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function base64Forms(bytes: Uint8Array): string[] {
  const forms: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const padded = new Uint8Array(shift + bytes.length);
    padded.set(bytes, shift);
    const encoded = Buffer.from(padded).toString('base64');
    // Characters fully determined by the secret's bytes: skip the ones mixed with the padding
    // prefix, and the last group if it is partial.
    const first = Math.ceil((shift * 4) / 3);
    const last = Math.floor(((shift + bytes.length) * 4) / 3);
    const stable = encoded.slice(first, last);
    if (stable.length >= 4) forms.push(stable);
  }
  return forms;
}

function patternsFor(value: string): Pattern[] {
  const bytes = new TextEncoder().encode(value);
  const digitsOnly = /^[0-9]+$/.test(value);
  const hexBytes = [...bytes].map((byte) => byte.toString(16).padStart(2, '0'));
  const patterns: Pattern[] = [
    {
      form: 'text',
      regex: digitsOnly
        ? new RegExp(`(?<![0-9A-Fa-f])${value}(?![0-9A-Fa-f])`, 'g')
        : new RegExp(escapeRegExp(value), 'gi'),
    },
    { form: 'hex', regex: new RegExp(hexBytes.join('[\\s:,-]?'), 'gi') },
    {
      // "52,55,50,49" or, from JSON.stringify(Uint8Array), '"0":52,"1":55,"2":50,"3":49'.
      form: 'decimal bytes',
      regex: new RegExp(
        `(?<![0-9])${[...bytes].join('[^0-9]{1,6}(?:[0-9]{1,5}[^0-9]{1,6})?')}(?![0-9])`,
        'g',
      ),
    },
  ];
  for (const form of base64Forms(bytes))
    patterns.push({ form: 'base64', regex: new RegExp(escapeRegExp(form), 'g') });
  return patterns;
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let index = from; index <= haystack.length - needle.length; index++) {
    for (let offset = 0; offset < needle.length; offset++)
      if (haystack[index + offset] !== needle[offset]) continue outer;
    return index;
  }
  return -1;
}

const isDigitByte = (byte: number | undefined): boolean => byte !== undefined && byte >= 0x30 && byte <= 0x39;

export class SecretScanner {
  readonly secrets: readonly Secret[];
  readonly hits: Hit[] = [];
  /** What was scanned: source → number of items / bytes. */
  readonly scanned = new Map<string, { items: number; characters: number }>();
  readonly #patterns: Array<{ secret: Secret; patterns: Pattern[] }>;

  constructor(secrets: readonly Secret[]) {
    this.secrets = secrets;
    this.#patterns = secrets.map((secret) => ({ secret, patterns: patternsFor(secret.value) }));
  }

  #count(source: string, characters: number): void {
    const entry = this.scanned.get(source) ?? { items: 0, characters: 0 };
    entry.items++;
    entry.characters += characters;
    this.scanned.set(source, entry);
  }

  /** Scans one piece of text (a log line, a JSON document, an error message). */
  text(source: string, text: string): void {
    this.#count(source, text.length);
    for (const { secret, patterns } of this.#patterns) {
      for (const { form, regex } of patterns) {
        regex.lastIndex = 0;
        for (const match of text.matchAll(regex)) {
          const at = match.index ?? 0;
          const context = `${text.slice(Math.max(0, at - 20), at)}[${secret.label}]${text.slice(at + match[0].length, at + match[0].length + 20)}`;
          this.hits.push({ secret: secret.label, source, form, context });
        }
      }
    }
  }

  /** Scans raw bytes (a network capture, a file): ASCII and UTF-16LE forms. */
  bytes(source: string, bytes: Uint8Array): void {
    this.#count(source, bytes.length);
    for (const { secret } of this.#patterns) {
      const ascii = new TextEncoder().encode(secret.value);
      const utf16 = new Uint8Array(Buffer.from(secret.value, 'utf16le'));
      const digitsOnly = /^[0-9]+$/.test(secret.value);
      for (const [form, needle] of [
        ['ascii bytes', ascii],
        ['utf-16le bytes', utf16],
      ] as const) {
        for (let at = indexOfBytes(bytes, needle, 0); at >= 0; at = indexOfBytes(bytes, needle, at + 1)) {
          // A 4-digit PIN inside a longer run of digits is a number, not the PIN.
          if (
            digitsOnly &&
            form === 'ascii bytes' &&
            (isDigitByte(bytes[at - 1]) || isDigitByte(bytes[at + needle.length]))
          )
            continue;
          this.hits.push({ secret: secret.label, source, form, context: `byte offset ${at}` });
        }
      }
    }
    // Also every textual form (hex/base64/decimal) the bytes may hold as text.
    this.text(`${source} (as text)`, Buffer.from(bytes).toString('latin1'));
  }

  /**
   * Scans an error completely: message, stack, code, details, remedy, JSON, `String()`, and the
   * same for every `cause` down the chain.
   */
  error(source: string, error: unknown): void {
    let current: unknown = error;
    for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
      if (current instanceof Error) {
        this.text(`${source}: message`, current.message);
        this.text(`${source}: stack`, current.stack ?? '');
        this.text(`${source}: String()`, String(current));
        const record = current as unknown as Record<string, unknown>;
        this.text(
          `${source}: fields`,
          JSON.stringify({ code: record.code, remedy: record.remedy, details: record.details }),
        );
        this.text(`${source}: JSON`, JSON.stringify(current));
        current = (current as { cause?: unknown }).cause;
      } else {
        this.text(
          `${source}: thrown value`,
          typeof current === 'string' ? current : (JSON.stringify(current) ?? String(current)),
        );
        break;
      }
    }
  }
}
