#!/usr/bin/env node
/**
 * Step 1 of docs/decisions/0018-windows-pcsc-binding.md for the machine it runs on: copies the
 * compiled `smartcard` N-API addon (build/Release/smartcard_napi.node of the installed, compiled
 * dependency) to prebuilds/<platform>-<arch>/smartcard.node, so the packed tarball carries it and an
 * install without a compiler (or with --ignore-scripts) still loads PC/SC. Runs as `prepack`.
 * A release job per OS/arch runs this on its own machine; here it produces linux-x64 only.
 *
 *   node scripts/copy-prebuild.mjs           # copy; fail if there is no compiled addon
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(packageRoot, 'package.json'));
let directory = dirname(require.resolve('smartcard'));
while (!existsSync(join(directory, 'package.json'))) directory = dirname(directory);
const compiled = join(directory, 'build', 'Release', 'smartcard_napi.node');
if (!existsSync(compiled)) {
  console.error(`copy-prebuild: no compiled smartcard addon at ${compiled} (run \`pnpm rebuild smartcard\`)`);
  process.exit(1);
}
const target = join(packageRoot, 'prebuilds', `${process.platform}-${process.arch}`, 'smartcard.node');
mkdirSync(dirname(target), { recursive: true });
copyFileSync(compiled, target);
console.log(`copy-prebuild: ${compiled} -> ${target}`);
