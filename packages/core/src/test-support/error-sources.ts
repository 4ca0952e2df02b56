/**
 * Test support for the error table: finds, in the sources of packages/ and apps/, which error codes
 * each package raises, and renders docs/errors.md from `ERROR_TABLE`. Reads files only; used by
 * remedies/error-table.test.ts (which also rewrites the document when KAKUNIN_UPDATE_DOCS=1).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ERROR_TABLE } from '../remedies/error-table.js';
import { remedyCatalog } from '../remedies/remedy-catalog.js';
import { ERROR_CODE_LAYERS, type ErrorCode } from '../transport/error-codes.js';

/** The repository root (this file is packages/core/src/test-support/). */
export const REPO_ROOT = join(new URL('.', import.meta.url).pathname, '../../../..');

const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', '.turbo', 'test-output']);
/** Where the codes are defined, not raised. */
const DEFINITIONS = new Set([
  'packages/core/src/transport/error-codes.ts',
  'packages/core/src/remedies/error-table.ts',
  'packages/core/src/test-support/error-sources.ts',
]);

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) yield* sourceFiles(join(dir, entry.name));
    } else if (/\.(ts|tsx|mjs)$/.test(entry.name) && !/\.(test|bench)\.tsx?$|\.d\.ts$/.test(entry.name)) {
      yield join(dir, entry.name);
    }
  }
}

/** A raised code found in a source file. */
export interface RaiseSite {
  readonly code: string;
  readonly file: string;
  /** How it is raised: `new CardError`, `toCardError`, an error-code table member, or a literal. */
  readonly via: 'constructor' | 'table' | 'literal';
}

const CONSTRUCTOR = /(?:new CardError|toCardError\([^,()]+,)\(?\s*'([A-Z][A-Z0-9_]*)'/g;
const TABLE_MEMBER = /\b[A-Z][A-Za-z0-9]*ErrorCode\.([A-Z][A-Z0-9_]*)\b/g;
const LITERAL = /'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{2,})'/g;

/** Every place a non-test source in packages/ or apps/ raises a code (or names one that it raises). */
export function findRaiseSites(): RaiseSite[] {
  const sites: RaiseSite[] = [];
  for (const top of ['packages', 'apps']) {
    for (const path of sourceFiles(join(REPO_ROOT, top))) {
      const file = relative(REPO_ROOT, path);
      if (DEFINITIONS.has(file)) continue;
      const text = readFileSync(path, 'utf8');
      for (const match of text.matchAll(CONSTRUCTOR))
        sites.push({ code: match[1]!, file, via: 'constructor' });
      for (const match of text.matchAll(TABLE_MEMBER)) sites.push({ code: match[1]!, file, via: 'table' });
      for (const match of text.matchAll(LITERAL)) sites.push({ code: match[1]!, file, via: 'literal' });
    }
  }
  return sites;
}

/** `packages/core/src/jpki/x.ts` → `core/jpki`; `packages/transport-ble/src/…` → `transport-ble`. */
export function owner(file: string): string {
  const core = /^packages\/core\/src\/([^/]+)\//.exec(file);
  if (core !== null) return `core/${core[1]}`;
  const other = /^(?:packages|apps)\/([^/]+)\//.exec(file);
  return other === null
    ? file
    : other[1] === 'cli' || other[1] === 'reception'
      ? `app ${other[1]}`
      : other[1]!;
}

/** Who raises each code, from {@link findRaiseSites} restricted to real codes. */
export function ownersByCode(codes: ReadonlySet<string>): Map<string, string[]> {
  const owners = new Map<string, Set<string>>();
  for (const site of findRaiseSites()) {
    if (!codes.has(site.code)) continue;
    const set = owners.get(site.code) ?? new Set<string>();
    set.add(owner(site.file));
    owners.set(site.code, set);
  }
  return new Map([...owners].map(([code, set]) => [code, [...set].sort()]));
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** docs/errors.md, generated from ERROR_TABLE and the remedy catalogue. */
export function renderErrorsDoc(owners: ReadonlyMap<string, readonly string[]>): string {
  const lines = [
    '# Error codes',
    '',
    '<!-- Generated from packages/core/src/remedies/error-table.ts by its test; do not edit by hand.',
    '     Regenerate: KAKUNIN_UPDATE_DOCS=1 pnpm exec vitest run packages/core/src/remedies -->',
    '',
    'Every failure kakunin reports is a `CardError` whose `code` is one of the codes below (the',
    'TypeScript union `ErrorCode` from `@kakunin/core/transport`). The remedy is the default; a',
    'thrower that knows the situation better sets `error.remedy`. Look a code up in code with',
    '`remedyFor(error, setup)` and `troubleshoot(key, setup)` from `@kakunin/core/remedies`.',
    '"Programming error" marks codes that report a bug in the caller or in kakunin, not a situation',
    'staff can fix at the counter. "Raised by" lists the package (for core, the layer) whose sources',
    'raise the code.',
    '',
  ];
  for (const [layer, table] of Object.entries(ERROR_CODE_LAYERS)) {
    lines.push(
      `## ${layer}`,
      '',
      '| code | meaning | remedy (ja) | remedy (en) | raised by |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const code of Object.values(table) as ErrorCode[]) {
      const row = ERROR_TABLE[code];
      let ja: string;
      let en: string;
      if (row.remedy === null) {
        ja = '（プログラムの誤り）';
        en = 'Programming error';
      } else if (typeof row.remedy === 'string') {
        const remedy = remedyCatalog[row.remedy];
        ja = `${remedy.title.ja}: ${remedy.action.ja} (\`${row.remedy}\`)`;
        en = `${remedy.title.en}: ${remedy.action.en} (\`${row.remedy}\`)`;
      } else {
        const perSetup = Object.entries(row.remedy).map(([setup, key]) => ({
          setup,
          remedy: remedyCatalog[key],
        }));
        ja = perSetup
          .map(({ setup, remedy }) => `${setup}: ${remedy.title.ja} (\`${remedy.key}\`)`)
          .join('<br>');
        en = perSetup
          .map(({ setup, remedy }) => `${setup}: ${remedy.title.en} (\`${remedy.key}\`)`)
          .join('<br>');
      }
      const by = owners.get(code)?.join(', ') ?? '—';
      lines.push(`| \`${code}\` | ${cell(row.meaning)} | ${cell(ja)} | ${cell(en)} | ${by} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
