import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'tools-conformance', include: ['src/**/*.test.ts'], testTimeout: 10_000 },
});
