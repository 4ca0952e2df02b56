import { defineProject } from 'vitest/config';

/**
 * Reliability tests. The PC/SC parts share the one system pcscd through tools/pcscd's lock and
 * run after every other group (sequence.groupOrder 2, like the pcscd harness's own tests); the
 * rest runs in the default group.
 */
export default defineProject({
  test: {
    name: 'tools-reliability',
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
