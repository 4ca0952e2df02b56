/**
 * `kakunin limbo [FILE]`: an x509-limbo harness (C2SP/x509-limbo `harness/README.md`). Reads a
 * limbo JSON document from FILE or stdin, validates every testcase with kakunin's RFC 5280
 * path validator and prints a LimboResult `{ version: 1, harness: "kakunin", results: [...] }`
 * on stdout. Exits non-zero only for harness errors (unreadable input), as the contract asks.
 */
import * as nodeCrypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { createNodeCryptoVerifier } from '@kakunin/core/x509';
import { runLimbo } from '@kakunin/tools-conformance/limbo';
import { type CommandModule, fileOperation, UsageError, writeLine } from '../context.js';
import { MAX_JSON_FILE_BYTES, readBoundedFile } from './bounded-read.js';

/** Largest limbo document read (the full upstream limbo.json is ~39 MB). */
const MAX_INPUT_BYTES = 256 * 1024 * 1024;

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += buffer.length;
    if (total > MAX_INPUT_BYTES) throw new UsageError(`input larger than ${MAX_INPUT_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const command: CommandModule = {
  summary: 'x509-limbo ハーネス / run x509-limbo testcases and print a LimboResult',
  usage: 'kakunin limbo [FILE]   (reads stdin without FILE)',
  options: {},
  examples: ['kakunin limbo limbo.json > result.json', 'cat limbo.json | kakunin limbo'],
  async run({ io, positionals, signal }) {
    if (positionals.length > 1) throw new UsageError(this.usage);
    const file = positionals[0];
    const text =
      file === undefined || file === '-'
        ? await readAll(io.stdin)
        : new TextDecoder().decode(
            await fileOperation(file, () => readBoundedFile(file, { maxBytes: MAX_JSON_FILE_BYTES, signal })),
          );
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`not JSON: ${(error as Error).message}`);
    }
    let result: Awaited<ReturnType<typeof runLimbo>>;
    try {
      result = await runLimbo(document, { verifier: createNodeCryptoVerifier(nodeCrypto) });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    writeLine(io.stdout, JSON.stringify(result));
    return 0;
  },
};
export default command;
