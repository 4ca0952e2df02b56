/**
 * startReceptionApp without pcscd: the in-process desk (sim), the auto fallback with its notice,
 * and option checks. The pcscd/vpcd path itself: reception-app-vpcd.test.ts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../testing/api-client.js';
import { startTestApp } from '../testing/test-app.js';
import { DEMO_PASSWORD } from '../testing/test-server.js';
import { startReceptionApp } from './start-reception-app.js';

const PASSWORD = DEMO_PASSWORD;

describe('startReceptionApp', () => {
  it('auto falls back to the in-process card with a notice when pcscd cannot run', async () => {
    await using app = await startTestApp('auto', {
      pcscd: { socketPath: join('/nonexistent', 'pcscd.comm'), binaries: [], lockPath: null },
    });
    expect(app.transport.active).toBe('in-process');
    expect(app.transport.notice).toContain('pcscd is not installed');
    expect(app.desk?.presentation).toBe('in-process');
    expect(app.desk?.current).toBe('plastic');
    // the J-LIS roots of ../shared are found at run time
    expect(app.trust?.loaded.map((root) => root.id)).toContain('authca03');
    const client = new ApiClient(app.server.url);
    await client.post('/api/device/register', { accountId: 'demo', password: PASSWORD, deviceName: 'pc' });
    await client.post('/api/passcode/setup', { passcode: '2468' });
    const readers = await client.get('/api/readers');
    expect(readers.json.kind).toBe('sim');
    expect(readers.json.selected).toBe(app.transport.readerId);
  });

  it('sim uses the in-process card without trying pcscd', async () => {
    await using app = await startTestApp('sim', {
      card: 'child',
      pcscd: { socketPath: '/nonexistent', binaries: [], lockPath: null },
    });
    expect(app.transport).toMatchObject({ active: 'in-process', notice: undefined, startedPcscd: false });
    expect(app.desk?.current).toBe('child');
  });

  it('asserts its options', async () => {
    await expect(
      startReceptionApp({ transport: 'usb' as never, dbPath: ':memory:', demoPassword: PASSWORD }),
    ).rejects.toThrow(RangeError);
    await expect(startReceptionApp({ dbPath: ':memory:', demoPassword: '' })).rejects.toThrow(TypeError);
  });
});
