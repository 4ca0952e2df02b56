/** The README's first example runs as written. */
import { defaultKeyCacheDirectory, TestKeyStore } from '@kakunin/simulator';
import { expect, it } from 'vitest';
import { linkMode, runSimulatedCheck } from './index.js';

it('README example: a check on an extended-capable link takes 5 APDUs', async () => {
  const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
  const { tally } = await runSimulatedCheck(linkMode('extended'), { keyStore });
  expect(tally).toMatchObject({ apdus: 5, wastedProbes: 0, extendedApdus: 1 });
});
