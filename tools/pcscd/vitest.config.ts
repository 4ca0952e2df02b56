import { defineProject } from 'vitest/config';

/**
 * PC/SC tests share one system pcscd: they run one file at a time, after every other group
 * (sequence.groupOrder), and the harness also holds a cross-process lock (src/pcscd-lock.ts).
 */
export default defineProject({
  test: {
    name: 'tools-pcscd',
    include: ['src/**/*.test.ts'],
    fileParallelism: false,
    sequence: { groupOrder: 2 },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
