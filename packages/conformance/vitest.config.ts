import { defineProject } from 'vitest/config';

/** No tests of its own: tools/conformance tests the suite; tools/smoke runs the published package. */
export default defineProject({
  test: { name: 'conformance', include: ['src/**/*.test.ts'], passWithNoTests: true },
});
