import { defineProject } from 'vitest/config';

/**
 * Most tests here talk to a real pcscd (tools/pcscd harness): one file at a time, in their own
 * group after the rest of the suite, so no other PC/SC test shares the daemon.
 */
export default defineProject({
  test: {
    name: 'transport-pcsc',
    include: ['src/**/*.test.ts'],
    fileParallelism: false,
    sequence: { groupOrder: 1 },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
