/**
 * Importing the package must not load noble or any native Bluetooth binding: only real hardware
 * use may. Checked in a fresh Node process on the built package (the test command builds first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const testing = fileURLToPath(new URL('../dist/testing/index.js', import.meta.url));

describe('import side effects', () => {
  it('importing @kakunin/transport-ble loads no noble and no native module', () => {
    expect(
      existsSync(dist),
      'build the package first: pnpm -s turbo run build --filter @kakunin/transport-ble',
    ).toBe(true);
    const script = `
      import { createRequire } from 'node:module';
      await import(${JSON.stringify(dist)});
      await import(${JSON.stringify(testing)});
      const cache = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(cache.filter((path) => /noble|bluetooth-hci-socket|\\.node$/.test(path))));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual([]);
  });

  it('creating noble over injected bindings loads pure JavaScript only', () => {
    const script = `
      import { createRequire } from 'node:module';
      const ble = await import(${JSON.stringify(dist)});
      const { SimulatedBleAdapter } = await import(${JSON.stringify(testing)});
      ble.createNobleWithBindings(new SimulatedBleAdapter());
      const cache = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify({
        noble: cache.some((path) => path.includes('noble/lib/noble.js')),
        native: cache.filter((path) => /bluetooth-hci-socket|\\.node$|hci-socket|mac\\/|win\\//.test(path)),
      }));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual({ noble: true, native: [] });
  });
});
