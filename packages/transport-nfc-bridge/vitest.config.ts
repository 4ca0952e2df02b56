import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'transport-nfc-bridge', include: ['src/**/*.test.ts'], testTimeout: 20_000 },
});
