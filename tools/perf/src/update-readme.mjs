#!/usr/bin/env node
/**
 * Regenerates the results table of the repository README (between `<!-- bench:start -->` and
 * `<!-- bench:end -->`, under "## Performance") from one `pnpm bench` run's
 * bench-results/latest.json. Only the text between the markers changes; when the markers are
 * missing, a "## Performance" section holding them is appended.
 *
 * Plain JavaScript with no dependencies: runs without a build.
 *
 * @example
 * ```sh
 * pnpm bench && node tools/perf/src/update-readme.mjs
 * node tools/perf/src/update-readme.mjs --latest some/latest.json --readme README.md --check
 * ```
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const START_MARKER = '<!-- bench:start -->';
export const END_MARKER = '<!-- bench:end -->';

/** 1234.5 → "1,235"; 0.01234 → "0.0123". */
export function formatNumber(value, digits = 3) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(digits)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** Milliseconds with a unit that reads well: µs below 1 ms, s above 10 s. */
export function formatMs(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  if (ms < 1) return `${formatNumber(ms * 1000)} µs`;
  if (ms >= 10_000) return `${formatNumber(ms / 1000)} s`;
  return `${formatNumber(ms)} ms`;
}

function ratio(numerator, denominator) {
  if (!(denominator > 0) || typeof numerator !== 'number') return '—';
  return `${formatNumber(numerator / denominator, 2)}×`;
}

function table(header, rows, align) {
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`,
  ];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

const MODE_LABELS = {
  extended: 'extended-capable link',
  'short-link': 'short-only link',
  'short-card': 'card answers 67 00 to extended APDUs',
  'refuses-fast-paths': 'card refuses SFI (6A 86) and extended (67 00)',
};

function checkSection(apdus) {
  const lines = ['### PIN-mode check: APDUs and bytes on the wire', ''];
  lines.push(
    'Counted at the simulator card (every command that reached it), same card, same PIN, same 32-byte challenge. ' +
      'kakunin: `MyNumberCard.check()` (SELECT, retry counter, VERIFY, sign, read certificate). ' +
      `OpenSC${apdus.opensc?.version ? ` ${apdus.opensc.version}` : ''} as shipped: \`pkcs15-tool --read-certificate 01\` + ` +
      '`pkcs11-tool --login --sign --id 01 -m SHA256-RSA-PKCS` (two processes, fresh file cache).',
    '',
  );
  const rows = [];
  const pcscd = apdus.pcscd ?? {};
  const ratios = [];
  for (const name of ['extended', 'short-link']) {
    const figures = pcscd[name];
    if (figures === undefined || figures.kakunin === undefined) continue;
    const k = figures.kakunin;
    const o = figures.opensc;
    rows.push([
      `pcscd + vpcd, ${MODE_LABELS[name]}`,
      '**kakunin**',
      `**${k.apdus}**`,
      formatNumber(k.bytes),
      String(k.wastedProbes),
      `${formatMs(k.checkMs?.median)} (median of ${k.checkMs?.runs})`,
    ]);
    if (o !== undefined) {
      rows.push([
        `pcscd + vpcd, ${MODE_LABELS[name]}`,
        'OpenSC',
        `${o.apdus} (${(o.steps ?? []).map((step) => step.apdus).join(' + ')})`,
        formatNumber(o.bytes),
        String(o.wastedProbes),
        `${formatMs(o.wallMs?.median)} (2 processes, median of ${o.wallMs?.runs})`,
      ]);
      ratios.push(
        `${MODE_LABELS[name]}: OpenSC sends ${ratio(o.apdus, k.apdus)} the APDUs and ${ratio(o.bytes, k.bytes)} the bytes`,
      );
    }
  }
  for (const [name, flow] of Object.entries(apdus.inProcess ?? {})) {
    rows.push([
      `in process, ${MODE_LABELS[name] ?? name}`,
      'kakunin',
      String(flow.apdus),
      formatNumber(flow.bytes),
      String(flow.wastedProbes),
      '—',
    ]);
  }
  lines.push(
    table(['link', 'client', 'APDUs', 'bytes', 'refused commands', 'wall time per check'], rows, [
      'l',
      'l',
      'r',
      'r',
      'r',
      'r',
    ]),
  );
  lines.push(
    '',
    'Refused commands: answers 67xx, 6Axx, 6Bxx, 6Cxx, 6Dxx (or 62 82 without data) in a check that then succeeded. ' +
      'For kakunin these are its fast-path probes; for OpenSC mostly other card drivers’ SELECTs (6A 82) while it looks for the driver that matches.',
  );
  if (ratios.length > 0) lines.push('', `Ratios: ${ratios.join('; ')}.`);
  const perApdu = ['extended', 'short-link']
    .map((name) => pcscd[name]?.kakunin)
    .filter((k) => k?.checkMs?.median !== undefined && k.apdus > 0)
    .map((k) => k.checkMs.median / k.apdus);
  if (perApdu.length > 0) {
    lines.push(
      '',
      `Through vpcd every APDU costs ≈ ${formatMs(Math.min(...perApdu))}–${formatMs(Math.max(...perApdu))} of wall time: vpcd sends each frame's ` +
        '2-byte length and its body in two TCP writes, so Nagle’s algorithm holds the body until the card side’s delayed ACK ' +
        '(≈ 40 ms on Linux; seen with strace on pcscd). A USB reader has no such delay, but the lesson carries over to BLE and ' +
        'relay links: wall time scales with the APDU count.',
    );
  }
  lines.push(
    '',
    'Targets: ≤ 5 APDUs on an extended-capable link, ≤ 11 short-only, ≤ 2 wasted probes on a card refusing every fast path — asserted in tools/perf/src/check-apdu-count.test.ts and check-through-pcscd.test.ts.',
  );
  if (apdus.pcscd?.skipped) lines.push('', '_pcscd part skipped in this run (`--no-pcscd`)._');
  return lines.join('\n');
}

function cpuSection(cpu) {
  const rows = Object.entries(cpu.results ?? {}).map(([name, figures]) => [
    MODE_LABELS[name] ?? name,
    String(figures.apduCount),
    `**${formatMs(figures.cpuMsPerCheck)}**`,
    formatMs(figures.replayOnlyCpuMsPerCheck),
    formatMs(figures.sdkCpuMsPerCheck),
    formatMs(figures.wallMsPerCheck),
    formatNumber(figures.runs),
  ]);
  return [
    '### SDK CPU time per check',
    '',
    `A check recorded once against the simulator (RecordingTransport), then replayed through ReplayTransport: process.cpuUsage() over N checks ÷ N. Target: under ${formatMs(cpu.targetCpuMs ?? 1)}.`,
    '',
    table(
      ['link', 'APDUs', 'CPU per check', 'replay transport alone', 'SDK net', 'wall per check', 'checks'],
      rows,
      ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  ].join('\n');
}

function linkSection(apdus) {
  const rows = (apdus.linkModels ?? []).map((row) => [
    row.link,
    formatMs(row.roundTripMs),
    `${row.kakunin.apdus} APDUs, **${formatMs(row.kakunin.ms)}**`,
    row.opensc === undefined ? '—' : `${row.opensc.apdus} APDUs, ${formatMs(row.opensc.ms)}`,
    row.opensc === undefined ? '—' : ratio(row.opensc.ms, row.kakunin.ms),
    row.source,
  ]);
  return [
    '### Modelled time on slow links',
    '',
    'Σ over the APDUs each client actually sent (round trip + bytes / throughput); card processing (the RSA signature) is the same for both and left out. ' +
      'BLE: transport-ble latency model (AES-framed messages in 20-byte GATT pieces, one connection interval per write and per notification event; short APDUs only). ' +
      'Phone relay: one LAN round trip per APDU (assumed, not measured) + bytes at ISO/IEC 14443 106 kbit/s.',
    '',
    table(['link', 'min. round trip', 'kakunin', 'OpenSC', 'OpenSC / kakunin', 'source'], rows, [
      'l',
      'r',
      'r',
      'r',
      'r',
      'l',
    ]),
    ...relayLines(apdus.relayLoopback),
  ].join('\n');
}

function relayLines(relayLoopback) {
  const entries = Object.entries(relayLoopback ?? {});
  if (entries.length === 0) return [];
  const parts = entries.map(
    ([name, figures]) =>
      `${MODE_LABELS[name] ?? name}: ${figures.apdus} APDUs, ${formatMs(figures.bridgeCheckMs?.median)} per check through the bridge vs ` +
      `${formatMs(figures.inProcessCheckMs?.median)} in process → ${formatMs(figures.softwareMsPerApdu)} per APDU`,
  );
  return [
    '',
    `Relay software measured on loopback (core → NfcBridgeProvider → WebSocket + Noise → reference relay → simulator card, medians): ${parts.join('; ')}.`,
  ];
}

function vitestSection(vitest) {
  const rows = [];
  for (const file of vitest?.files ?? []) {
    const path = file.filepath.startsWith('/') ? relative(root, file.filepath) : file.filepath;
    for (const group of file.groups ?? []) {
      const title = group.fullName.split(' > ').slice(1).join(' › ') || group.fullName;
      const reference = group.benchmarks.find((benchmark) => /^kakunin\b/.test(benchmark.name));
      group.benchmarks.forEach((benchmark, index) => {
        const isReference = benchmark === reference;
        rows.push([
          index === 0 ? `${title} <sub>${basename(path)}</sub>` : '',
          isReference ? `**${benchmark.name}**` : benchmark.name,
          formatNumber(benchmark.hz),
          formatMs(benchmark.median),
          reference === undefined || /^kakunin\b/.test(benchmark.name)
            ? ''
            : ratio(benchmark.median, reference.median),
        ]);
      });
    }
  }
  return [
    '### Codec, TLV, DER, X.509 and CRL (vitest bench)',
    '',
    'Median time per operation; the last column is how many times slower than kakunin the peer library is on the same input.',
    '',
    table(['group', 'benchmark', 'ops/s', 'median', 'vs kakunin'], rows, ['l', 'l', 'r', 'r', 'r']),
  ].join('\n');
}

/** Numeric leaves of any other script's result, for a generic table. */
function leaves(value, path, out) {
  if (typeof value === 'number' && Number.isFinite(value)) out.push([path, value]);
  else if (Array.isArray(value)) {
    for (const [index, item] of value.entries())
      leaves(item, `${path} › ${item?.name ?? item?.label ?? item?.profile ?? index}`, out);
  } else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value))
      leaves(item, path === '' ? key : `${path} › ${key}`, out);
  return out;
}

function x509ScaleSection(scale) {
  const certificateRows = [];
  const byInput = new Map();
  for (const row of scale.certificate ?? []) {
    if (!byInput.has(row.input)) byInput.set(row.input, []);
    byInput.get(row.input).push(row);
  }
  for (const [input, rows] of byInput) {
    const reference = rows.find((row) => row.library === 'kakunin');
    rows.forEach((row, index) => {
      certificateRows.push([
        index === 0 ? input : '',
        row.library === 'kakunin' ? '**kakunin**' : row.library,
        formatMs(row.microsecondsPerParse / 1000),
        row === reference || reference === undefined
          ? ''
          : ratio(row.microsecondsPerParse, reference.microsecondsPerParse),
      ]);
    });
  }
  const crlRows = [];
  const byCount = new Map();
  for (const row of scale.crl ?? []) {
    const key = row.entries ?? row.count;
    if (!byCount.has(key)) byCount.set(key, []);
    byCount.get(key).push(row);
  }
  for (const [entries, rows] of byCount) {
    const reference = rows.find((row) => row.library === 'kakunin');
    rows.forEach((row, index) => {
      crlRows.push(
        row.skipped === undefined
          ? [
              index === 0 ? `${formatNumber(entries)} (${formatNumber(row.crlMegabytes)} MB)` : '',
              row.library === 'kakunin' ? '**kakunin**' : row.library,
              formatMs(row.parseMilliseconds),
              row === reference || reference === undefined
                ? ''
                : ratio(row.parseMilliseconds, reference.parseMilliseconds),
              `${formatNumber(row.peakRssMegabytes)} MB`,
              formatMs(row.lookupMicroseconds / 1000),
            ]
          : [index === 0 ? formatNumber(entries) : '', row.library, row.skipped, '', '', ''],
      );
    });
  }
  return [
    '### X.509 and CRL at scale (x509-scale, one child process per measurement)',
    '',
    table(['certificate', 'library', 'median parse', 'vs kakunin'], certificateRows, ['l', 'l', 'r', 'r']),
    '',
    table(['CRL entries', 'library', 'parse + index', 'vs kakunin', 'peak RSS', 'lookup'], crlRows, [
      'l',
      'l',
      'r',
      'r',
      'r',
      'r',
    ]),
  ].join('\n');
}

function bleModelSection(model) {
  const rows = (model.profiles ?? []).map((profile) => [
    profile.profile,
    `${profile.apdus} APDUs, ${formatMs(profile.linkMs)}`,
    `${profile.shortcutApdus} APDUs, ${formatMs(profile.shortcutLinkMs)}`,
    formatMs(profile.perExtraApduMs),
  ]);
  return [
    '### BLE latency model (transport-ble)',
    '',
    'A textbook short-APDU flow with SELECTs (conventional) and with SFI shortcuts, on the same link profiles; ' +
      `measured software cost per APDU of the simulated BLE stack: ${formatMs(model.softwareMsPerApdu)}.`,
    '',
    table(['link profile', 'conventional flow', 'SFI shortcuts', 'each extra APDU'], rows, [
      'l',
      'r',
      'r',
      'r',
    ]),
  ].join('\n');
}

/** Script results with a section of their own. */
const SCRIPT_SECTIONS = { 'x509-scale': x509ScaleSection, 'ble-latency-model': bleModelSection };
/** Script results rendered by their own sections above. */
const OWN_SCRIPTS = new Set(['check-apdus', 'check-cpu', ...Object.keys(SCRIPT_SECTIONS)]);
/** Most leaves shown per other script. */
const MAX_LEAVES = 40;

function otherScriptsSection(scripts) {
  const parts = [];
  for (const [name, result] of Object.entries(scripts ?? {})) {
    if (OWN_SCRIPTS.has(name)) continue;
    const found = leaves(result, '', []);
    if (found.length === 0) continue;
    const shown = found.slice(0, MAX_LEAVES);
    parts.push(
      `<details><summary>${name} (${found.length} figures${found.length > shown.length ? `, first ${shown.length} shown` : ''})</summary>\n\n` +
        table(
          ['figure', 'value'],
          shown.map(([path, value]) => [path, formatNumber(value, 4)]),
          ['l', 'r'],
        ) +
        '\n\n</details>',
    );
  }
  return parts.length === 0 ? '' : ['### Other bench scripts', ...parts].join('\n\n');
}

/**
 * The markdown between the markers for one results file.
 *
 * @param {any} results parsed bench-results/latest.json
 */
export function renderTable(results) {
  const scripts = results.scripts ?? {};
  const apdus = scripts['check-apdus'];
  const cpu = scripts['check-cpu'];
  const machine = apdus?.machine ?? cpu?.machine;
  const sections = [
    `Measured ${String(results.date ?? '').slice(0, 10)} in one \`pnpm bench\` run` +
      `${machine ? ` on ${machine.cpu} (${machine.cores} cores)` : ''}, Node ${results.node ?? '?'}. ` +
      'Regenerate: `pnpm bench && node tools/perf/src/update-readme.mjs`; check for regressions: `pnpm bench:compare`.',
  ];
  if (apdus !== undefined) sections.push(checkSection(apdus));
  if (cpu !== undefined) sections.push(cpuSection(cpu));
  if (apdus !== undefined) sections.push(linkSection(apdus));
  if ((results.vitest?.files ?? []).length > 0) sections.push(vitestSection(results.vitest));
  for (const [name, render] of Object.entries(SCRIPT_SECTIONS)) {
    if (scripts[name] !== undefined) sections.push(render(scripts[name]));
  }
  const others = otherScriptsSection(scripts);
  if (others !== '') sections.push(others);
  return sections.join('\n\n');
}

/**
 * Replaces the text between the markers (or appends a Performance section with them).
 *
 * @param {string} readme
 * @param {string} body
 */
export function replaceBetweenMarkers(readme, body) {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < 0 || end < start) {
    const separator = readme.endsWith('\n') ? '\n' : '\n\n';
    return `${readme}${separator}## Performance\n\n${START_MARKER}\n${body}\n${END_MARKER}\n`;
  }
  return `${readme.slice(0, start + START_MARKER.length)}\n${body}\n${readme.slice(end)}`;
}

function main(argv) {
  const option = (name) => {
    const index = argv.indexOf(name);
    return index < 0 ? undefined : argv[index + 1];
  };
  const latestPath = resolve(option('--latest') ?? join(root, 'bench-results/latest.json'));
  const readmePath = resolve(option('--readme') ?? join(root, 'README.md'));
  if (!existsSync(latestPath)) {
    process.stderr.write(`${relative(root, latestPath)} is missing: run \`pnpm bench\` first\n`);
    return 2;
  }
  const results = JSON.parse(readFileSync(latestPath, 'utf8'));
  const readme = readFileSync(readmePath, 'utf8');
  const updated = replaceBetweenMarkers(readme, renderTable(results));
  if (argv.includes('--check')) {
    if (updated !== readme) {
      process.stderr.write(
        `${relative(root, readmePath)} is not up to date with ${relative(root, latestPath)}\n`,
      );
      return 1;
    }
    return 0;
  }
  writeFileSync(readmePath, updated);
  process.stdout.write(
    `${relative(root, readmePath)}: results table updated from ${relative(root, latestPath)}\n`,
  );
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
