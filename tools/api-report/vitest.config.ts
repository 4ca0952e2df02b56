import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'tools-api-report', include: ['src/**/*.test.ts'], testTimeout: 120_000 },
});
