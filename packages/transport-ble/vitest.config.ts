import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'transport-ble',
    include: ['src/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 15_000,
  },
});
