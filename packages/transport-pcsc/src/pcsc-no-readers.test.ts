/**
 * A PC/SC service with no reader at all (the last reader unplugged), then readers arriving:
 * pcscd runs with an empty reader.conf.d; then the vpcd entry is added and pcscd restarted (its
 * Debian build does not re-read reader.conf.d on `--hotplug`), as when Windows restarts SCardSvr
 * for a newly plugged reader.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { usePcscd, VPCD_READER_CONF } from '../../../tools/pcscd/src/index.js';
import { createPcscProvider } from './index.js';
import { describeEvent, EventReader } from './test-support/event-reader.js';
import { virtualReader } from './test-support/virtual-reader.js';

const configDirectory = mkdtempSync(join(tmpdir(), 'kakunin-reader-conf-'));
const pcscd = usePcscd({ configDirectory });

afterAll(() => {
  rmSync(configDirectory, { recursive: true, force: true });
});

it('lists no reader, fails connect with NO_READERS, and watch() keeps waiting until readers arrive', async () => {
  const provider = createPcscProvider();
  const reader = await virtualReader();
  try {
    expect(await provider.listReaders()).toEqual([]);
    await expect(provider.connect('Virtual PCD 00 00')).rejects.toMatchObject({
      code: 'NO_READERS',
      remedy: 'reader.usb-cable',
    });
    const events = new EventReader((signal) => provider.watch({ signal }));
    // Nothing to replay; the watch keeps waiting on the PnP notification.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events.events).toEqual([]);

    copyFileSync(VPCD_READER_CONF, join(configDirectory, 'vpcd'));
    await pcscd().restart();
    await events.next((event) => event.type === 'reader-add' && event.reader.id === 'Virtual PCD 00 01', {
      what: 'reader-add after the restart',
    });
    // The restart may be quick enough that the watch never sees the service down; if it does, it
    // says so with SERVICE_UNAVAILABLE. Either way the two readers are added, nothing else.
    expect(events.events.map(describeEvent).filter((event) => event !== 'error:SERVICE_UNAVAILABLE')).toEqual(
      ['reader-add:Virtual PCD 00 00:empty', 'reader-add:Virtual PCD 00 01:empty'],
    );
    await reader.insert();
    await events.next((event) => event.type === 'card-insert' && event.readerId === 'Virtual PCD 00 00');
    const transport = await provider.connect('Virtual PCD 00 00');
    expect(transport.atr.length).toBeGreaterThan(0);
    await events.stop();
  } finally {
    await provider.close();
    await reader.close();
  }
});
