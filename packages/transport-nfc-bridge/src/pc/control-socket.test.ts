import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBridgeFixture } from '../test-support/bridge-fixture.js';
import { pinCard, TEST_ATR, TestCardProvider } from '../test-support/test-card-provider.js';
import {
  BridgeControlProvider,
  type ControlEndpoint,
  defaultControlEndpoint,
  serveBridgeControl,
} from './control-socket.js';

const bridge = useBridgeFixture();

async function endpoint(): Promise<ControlEndpoint> {
  const directory = await mkdtemp(join(tmpdir(), 'kakunin-control-'));
  bridge.defer(() => rm(directory, { recursive: true, force: true }));
  return { path: join(directory, 'run', 'bridge.sock'), keyPath: join(directory, 'run', 'bridge.key') };
}

async function pairedBridge() {
  const { provider } = await bridge.listen();
  const local = new TestCardProvider(pinCard('1234'));
  local.insert();
  const offer = provider.createPairing();
  await bridge.relay(offer.url, local);
  await offer.paired;
  return { provider, local };
}

describe('bridge control socket (a second process reaches the paired phone)', () => {
  it('lists the phone, connects and relays APDUs through the local socket', async () => {
    const { provider, local } = await pairedBridge();
    const where = await endpoint();
    const server = await serveBridgeControl(provider, where);
    bridge.defer(() => server.close());
    expect((await stat(where.keyPath)).mode & 0o777).toBe(0o600);
    expect((await stat(join(where.path, '..'))).mode & 0o777).toBe(0o700);
    const remote = await BridgeControlProvider.connect(where);
    bridge.defer(() => remote.close());
    expect(await remote.listReaders()).toEqual([
      expect.objectContaining({ id: 'phone-1', cardPresent: true, atr: TEST_ATR }),
    ]);
    const transport = await remote.connect('phone-1', { waitForCard: true, timeoutMs: 2000 });
    expect(transport.atr).toEqual(TEST_ATR);
    expect(transport.capabilities.maxCommandLength).toBe(261);
    expect(
      await transport.transmit(Uint8Array.of(0x00, 0x20, 0x00, 0x81, 4, 0x31, 0x32, 0x33, 0x34)),
    ).toEqual(Uint8Array.of(0x90, 0x00));
    local.stallNext();
    const pending = transport.transmit(Uint8Array.of(0x00, 0xa4, 0x00, 0x00));
    setTimeout(() => local.remove(), 30);
    await expect(pending).rejects.toMatchObject({ code: 'CARD_REMOVED', remedy: 'nfc.moved' });
    await transport.close();
  });

  it('forwards reader events', async () => {
    const { provider, local } = await pairedBridge();
    const where = await endpoint();
    const server = await serveBridgeControl(provider, where);
    bridge.defer(() => server.close());
    const remote = await BridgeControlProvider.connect(where);
    bridge.defer(() => remote.close());
    const controller = new AbortController();
    const iterator = remote.watch({ signal: controller.signal })[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: 'reader-add' });
    expect((await iterator.next()).value).toMatchObject({ type: 'card-insert', readerId: 'phone-1' });
    local.remove();
    expect((await iterator.next()).value).toMatchObject({ type: 'card-remove', readerId: 'phone-1' });
    controller.abort();
  });

  it('refuses a client with the wrong key and a second server; removes a stale socket', async () => {
    const { provider } = await pairedBridge();
    const where = await endpoint();
    await serveBridgeControl(provider, where).then((first) => first.close()); // creates the directory
    await writeFile(where.path, 'left over by a crashed run');
    const server = await serveBridgeControl(provider, where, { helloTimeoutMs: 200 });
    bridge.defer(() => server.close());
    await expect(serveBridgeControl(provider, where)).rejects.toMatchObject({ code: 'BUSY' });
    const key = await readFile(where.keyPath, 'utf8');
    await writeFile(where.keyPath, '00'.repeat(32));
    await expect(BridgeControlProvider.connect(where)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    await writeFile(where.keyPath, key);
    // A client that never authenticates is cut off.
    const lurker = createConnection(where.path);
    lurker.on('error', () => undefined);
    await new Promise<void>((resolve) => lurker.on('close', () => resolve()));
    await server.close();
    await expect(BridgeControlProvider.connect(where)).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      remedy: 'bridge.pairing',
    });
  });

  it('without a running pair command, --transport bridge explains what to do', async () => {
    const where = await endpoint();
    await expect(BridgeControlProvider.connect(where)).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: expect.stringMatching(/kakunin bridge pair/),
    });
  });

  it('has per-user default endpoints', () => {
    expect(defaultControlEndpoint({ XDG_RUNTIME_DIR: '/run/user/1000' }, 'linux')).toEqual({
      path: '/run/user/1000/kakunin/bridge.sock',
      keyPath: '/run/user/1000/kakunin/bridge.key',
    });
    expect(defaultControlEndpoint({ USER: 'a/b' }, 'linux').path).toMatch(/kakunin-a_b\/bridge\.sock$/);
    expect(defaultControlEndpoint({ USERNAME: 'nurse', LOCALAPPDATA: 'C:\\x' }, 'win32').path).toBe(
      '\\\\.\\pipe\\kakunin-bridge-nurse',
    );
  });
});

describe('defaultControlEndpoint override', () => {
  it('honours KAKUNIN_BRIDGE_DIR', () => {
    expect(
      defaultControlEndpoint({ KAKUNIN_BRIDGE_DIR: '/tmp/x', XDG_RUNTIME_DIR: '/run' }, 'linux'),
    ).toEqual({
      path: '/tmp/x/bridge.sock',
      keyPath: '/tmp/x/bridge.key',
    });
  });
});
