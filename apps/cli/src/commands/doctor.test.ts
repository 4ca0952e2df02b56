import { describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { captureIo } from '../test-support.js';

const io = (env: Record<string, string | undefined>) => captureIo('', env);

describe('kakunin doctor', () => {
  it('reports readers, the Starfield root, and warns about a proxy (JSON)', async () => {
    const streams = io({ HTTPS_PROXY: 'http://proxy.invalid:3128' });
    const code = await main(['doctor', '--transport', 'sim', '--json'], streams);
    const report = JSON.parse(streams.out()) as {
      checks: { id: string; status: string; remedy?: string; detail: string }[];
    };
    const byId = Object.fromEntries(report.checks.map((check) => [check.id, check]));
    expect(byId.proxy).toMatchObject({ status: 'warning', remedy: 'network.proxy-unsupported' });
    expect(byId.readers?.status).toBe('ok');
    expect(byId.readers?.detail).toContain('kakunin Simulator');
    expect(byId['tls-root']?.status).not.toBe('error');
    expect(byId['app-version']?.detail).toContain('kakunin CLI');
    expect(code).toBe(0);
  });
  it('prints the FAQ remedy next to a warning (text)', async () => {
    const streams = io({ http_proxy: 'http://proxy.invalid:3128' });
    await main(['doctor', '--transport', 'sim'], streams);
    expect(streams.out()).toContain('プロキシを経由せずに接続してください');
  });
});
