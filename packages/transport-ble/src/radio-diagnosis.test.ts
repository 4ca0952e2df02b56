import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { diagnoseLinuxRadio } from './radio-diagnosis.js';

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

/** Builds a fake /sys/class/rfkill with the given radios. */
async function rfkill(radios: Array<{ type: string; soft: 0 | 1; hard?: 0 | 1 }>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'rfkill-'));
  roots.push(root);
  for (const [index, radio] of radios.entries()) {
    const directory = join(root, `rfkill${index}`);
    await mkdir(directory);
    await writeFile(join(directory, 'type'), `${radio.type}\n`);
    await writeFile(join(directory, 'soft'), `${radio.soft}\n`);
    await writeFile(join(directory, 'hard'), `${radio.hard ?? 0}\n`);
  }
  return root;
}

describe('diagnoseLinuxRadio', () => {
  it('Bluetooth and Wi-Fi both blocked → airplane mode', async () => {
    const root = await rfkill([
      { type: 'bluetooth', soft: 1 },
      { type: 'wlan', soft: 1 },
    ]);
    expect(await diagnoseLinuxRadio(root)).toBe('airplane-mode');
  });
  it('only Bluetooth blocked → Bluetooth off (also by hardware switch)', async () => {
    expect(
      await diagnoseLinuxRadio(
        await rfkill([
          { type: 'bluetooth', soft: 1 },
          { type: 'wlan', soft: 0 },
        ]),
      ),
    ).toBe('bluetooth-off');
    expect(await diagnoseLinuxRadio(await rfkill([{ type: 'bluetooth', soft: 0, hard: 1 }]))).toBe(
      'bluetooth-off',
    );
  });
  it('nothing blocked, no Bluetooth radio, or no rfkill at all → unknown', async () => {
    expect(await diagnoseLinuxRadio(await rfkill([{ type: 'bluetooth', soft: 0 }]))).toBe('unknown');
    expect(await diagnoseLinuxRadio(await rfkill([{ type: 'wlan', soft: 1 }]))).toBe('unknown');
    expect(await diagnoseLinuxRadio('/nonexistent/rfkill')).toBe('unknown');
  });
});
