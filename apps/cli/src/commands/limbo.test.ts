import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { captureIo } from '../test-support.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const limboPath = path.resolve(repoRoot, '../shared/data/x509-limbo/limbo-public.json');

const io = (stdinText?: string) => captureIo(stdinText);

describe('kakunin limbo', () => {
  it('prints a LimboResult in which every public case meets its expected result', async () => {
    const streams = io();
    expect(await main(['limbo', limboPath], streams)).toBe(0);
    const result = JSON.parse(streams.out()) as {
      version: number;
      harness: string;
      results: { id: string; actual_result: string; context: string }[];
    };
    expect(result.version).toBe(1);
    expect(result.harness).toBe('kakunin');
    const expected = new Map(
      (
        JSON.parse(readFileSync(limboPath, 'utf8')).testcases as { id: string; expected_result: string }[]
      ).map((testcase) => [testcase.id, testcase.expected_result]),
    );
    expect(result.results).toHaveLength(expected.size);
    const mismatches = result.results.filter((entry) => entry.actual_result !== expected.get(entry.id));
    expect(mismatches).toEqual([]);
  });

  it('reads stdin and exits 2 for input that is not a limbo document', async () => {
    const empty = io('{"version":1,"testcases":[]}');
    expect(await main(['limbo'], empty)).toBe(0);
    expect(JSON.parse(empty.out())).toEqual({ version: 1, harness: 'kakunin', results: [] });
    const broken = io('not json');
    expect(await main(['limbo'], broken)).toBe(2);
    expect(broken.err()).toMatch(/not JSON/);
  });
});
