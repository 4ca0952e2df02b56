/**
 * Building blocks of the install smoke test: pack every publishable workspace package with pnpm
 * (workspace:^ ranges become real ranges, `files` decides the contents), install the tarballs with
 * npm into a scratch project under os.tmpdir() (no workspace, no pnpm, no monorepo node_modules
 * above it), and run things there under Node 20, 22 and 24.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export interface PublishablePackage {
  readonly name: string;
  readonly directory: string;
  readonly manifest: Record<string, unknown> & {
    exports?: Record<string, unknown>;
    bin?: Record<string, string>;
  };
}

/** Every workspace package that is not `private` — what `changeset publish` would publish. */
export function publishablePackages(): PublishablePackage[] {
  const found: PublishablePackage[] = [];
  for (const group of ['packages', 'apps', 'tools']) {
    for (const entry of readdirSync(join(REPO_ROOT, group))) {
      const directory = join(REPO_ROOT, group, entry);
      const file = join(directory, 'package.json');
      if (!existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as PublishablePackage['manifest'];
      if (manifest.private === true) continue;
      found.push({ name: String(manifest.name), directory, manifest });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** `pnpm pack` into `destination`; returns the tarball path. */
export function pack(pkg: PublishablePackage, destination: string): string {
  const output = execFileSync('pnpm', ['pack', '--pack-destination', destination], {
    cwd: pkg.directory,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tarball = output
    .trim()
    .split('\n')
    .map((line) => line.trim())
    .reverse()
    .find((line) => line.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`pnpm pack printed no tarball for ${pkg.name}: ${output}`);
  return tarball.startsWith('/') ? tarball : join(destination, tarball);
}

/** The file list of a tarball (paths without the leading `package/`). */
export function tarballFiles(tarball: string): string[] {
  return execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.replace(/^package\//, ''));
}

export function tarballText(tarball: string, path: string): string {
  return execFileSync('tar', ['xzf', tarball, '-O', `package/${path}`], { encoding: 'utf8' });
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command, never throws; the result carries the exit code. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      [...args],
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        encoding: 'utf8',
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

export function scratchDirectory(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A Node major from the npm registry (the official Linux build, published as
 * `node-<platform>-<arch>`, the package `npx node@MAJOR` installs), cached in os.tmpdir() so later
 * runs need no download; shared with packages/transport-pcsc/scripts/check-binding.mjs.
 */
export function nodeFor(major: string): string {
  if (process.versions.node.split('.')[0] === major) return process.execPath;
  const prefix = join(tmpdir(), 'kakunin-node-majors', `node-${major}`);
  const binary = join(prefix, 'node_modules', `node-${process.platform}-${process.arch}`, 'bin', 'node');
  if (!existsSync(binary)) {
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
  return binary;
}

/** PATH with `node` of the given binary first and the consumer's node_modules/.bin. */
export function envWithNode(node: string, consumer: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${join(consumer, 'node_modules', '.bin')}:${dirname(node)}:${process.env.PATH ?? ''}`,
    // The consumer must not see the monorepo's dependencies or tsconfig.
    NODE_PATH: '',
    NODE_OPTIONS: '',
  };
}

/**
 * The first fenced code block of a README (its language and its text), the example a new user
 * copies first.
 */
export function firstExample(markdown: string): { language: string; code: string } | undefined {
  const match = /^```([a-z]*)[^\n]*\n([\s\S]*?)^```/m.exec(markdown);
  if (match === null) return undefined;
  return { language: match[1] ?? '', code: match[2] ?? '' };
}

export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
