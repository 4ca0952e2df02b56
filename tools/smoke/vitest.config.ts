import { defineProject } from 'vitest/config';

/**
 * The install smoke test packs and installs the real tarballs once (beforeAll, minutes on a cold
 * npm cache), then every test uses that scratch consumer. It also takes the pcscd lock for the
 * transport-pcsc README example, so it runs with the PC/SC group (sequence.groupOrder 2).
 */
export default defineProject({
  test: {
    name: 'smoke',
    include: ['src/**/*.test.ts'],
    fileParallelism: false,
    sequence: { groupOrder: 2 },
    testTimeout: 180_000,
    hookTimeout: 1_500_000,
  },
});
