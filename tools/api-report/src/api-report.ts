/**
 * The public API report of a package: every name each `exports` subpath publishes, with its
 * declaration as the built `.d.ts` states it (comments dropped, whitespace folded). Read with the
 * TypeScript compiler API from `dist`, so it is what a consumer sees. The reports live in
 * `api/<package>.api.md`; api-report.test.ts fails when one is not current
 * (`KAKUNIN_UPDATE_API=1 pnpm exec vitest run --project tools-api-report` rewrites them after review).
 *
 * @example
 * ```ts
 * const report = apiReport('packages/core');
 * report.text; // markdown
 * report.counts; // { '.': 12, './transport': 40, … }
 * ```
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** The repository root (this file is tools/api-report/src/). */
export const REPO_ROOT = join(new URL('.', import.meta.url).pathname, '../../..');

/** The packages that publish an API: every non-private package under packages/ (apps are not libraries). */
export const PUBLISHED_PACKAGES: readonly string[] = readdirSync(join(REPO_ROOT, 'packages'), {
  withFileTypes: true,
})
  .filter(
    (entry) => entry.isDirectory() && existsSync(join(REPO_ROOT, 'packages', entry.name, 'package.json')),
  )
  .map((entry) => `packages/${entry.name}`)
  .filter((dir) => JSON.parse(readFileSync(join(REPO_ROOT, dir, 'package.json'), 'utf8')).private !== true)
  .sort();

export interface ApiReport {
  readonly name: string;
  readonly text: string;
  /** Number of exported names per subpath. */
  readonly counts: Readonly<Record<string, number>>;
}

interface ExportTarget {
  readonly types?: string;
  readonly import?: string | { readonly types?: string };
}

function typesOf(target: unknown): string | undefined {
  if (typeof target === 'string') return target.endsWith('.d.ts') ? target : undefined;
  if (typeof target !== 'object' || target === null) return undefined;
  const record = target as ExportTarget & Record<string, unknown>;
  if (typeof record.types === 'string') return record.types;
  for (const key of ['import', 'default', 'require']) {
    const found = typesOf(record[key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

function declarationText(declaration: ts.Declaration): string {
  const source = declaration.getSourceFile();
  let node: ts.Node = declaration;
  // `declare const X: T;` is a VariableDeclaration inside a statement: print the statement.
  if (ts.isVariableDeclaration(node) && node.parent.parent !== undefined) node = node.parent.parent;
  const printed = printer.printNode(ts.EmitHint.Unspecified, node, source);
  return printed
    .replace(/^export\s+/, '')
    .replace(/^declare\s+/, '')
    .replace(/\bexport\s+declare\s+/g, '')
    .trim();
}

function kindOf(symbol: ts.Symbol): string {
  const flags = symbol.flags;
  if (flags & ts.SymbolFlags.Class) return 'class';
  if (flags & ts.SymbolFlags.Function) return 'function';
  if (flags & ts.SymbolFlags.Enum) return 'enum';
  if (flags & ts.SymbolFlags.Variable) return 'const';
  if (flags & ts.SymbolFlags.Interface) return 'interface';
  if (flags & ts.SymbolFlags.TypeAlias) return 'type';
  return 'other';
}

/** The report of one package directory (relative to the repository root), from its built `.d.ts`. */
export function apiReport(packageDir: string): ApiReport {
  const root = join(REPO_ROOT, packageDir);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string;
    exports?: Record<string, unknown>;
  };
  const entries = Object.entries(manifest.exports ?? {})
    .map(([subpath, target]) => [subpath, typesOf(target)] as const)
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined)
    .sort(([a], [b]) => (a === '.' ? -1 : b === '.' ? 1 : a.localeCompare(b)));
  const files = entries.map(([, types]) => join(root, types));
  const program = ts.createProgram(files, {
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
  });
  const checker = program.getTypeChecker();
  const lines = [
    `# API report: ${manifest.name}`,
    '',
    '<!-- Generated from the built .d.ts by tools/api-report; do not edit by hand. A change here is a',
    '     change to the public surface: review it, then KAKUNIN_UPDATE_API=1 pnpm exec vitest run',
    '     --project tools-api-report -->',
    '',
  ];
  const counts: Record<string, number> = {};
  for (const [subpath, types] of entries) {
    const source = program.getSourceFile(join(root, types));
    const importPath = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    if (source === undefined) throw new Error(`${importPath}: ${types} is missing (build the package first)`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    const exported = moduleSymbol === undefined ? [] : checker.getExportsOfModule(moduleSymbol);
    const sorted = [...exported].sort((a, b) => a.name.localeCompare(b.name));
    counts[subpath] = sorted.length;
    lines.push(`## ${importPath} (${sorted.length})`, '');
    for (const symbol of sorted) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const declarations = target.declarations ?? [];
      lines.push(`### ${symbol.name} (${kindOf(target)})`, '', '```ts');
      for (const declaration of declarations) lines.push(declarationText(declaration));
      lines.push('```', '');
    }
  }
  return { name: manifest.name, text: `${lines.join('\n').trimEnd()}\n`, counts };
}

/** `packages/core` → `api/core.api.md`. */
export function reportPath(packageDir: string): string {
  return join(REPO_ROOT, 'api', `${packageDir.split('/').pop()}.api.md`);
}
