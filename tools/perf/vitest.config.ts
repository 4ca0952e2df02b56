import { defineProject } from 'vitest/config';

/**
 * APDU-count assertions (counts, never timings). The pcscd file shares the one system pcscd with
 * every other PC/SC test: files run one at a time and late (sequence.groupOrder 2, like
 * tools/pcscd), and the harness holds its cross-process lock.
 */
export default defineProject({
  test: {
    name: 'tools-perf',
    include: ['src/**/*.test.ts'],
    fileParallelism: false,
    sequence: { groupOrder: 2 },
    testTimeout: 60_000,
    hookTimeout: 360_000,
  },
});
