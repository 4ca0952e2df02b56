import { defineProject } from 'vitest/config';

/** The security suite: every attack replayed in bounded time through real components. */
export default defineProject({
  test: {
    name: 'tools-security',
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
