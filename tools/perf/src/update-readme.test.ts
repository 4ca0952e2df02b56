import { describe, expect, it } from 'vitest';
import {
  END_MARKER,
  formatMs,
  formatNumber,
  renderTable,
  replaceBetweenMarkers,
  START_MARKER,
} from './update-readme.mjs';

const summary = (median: number, runs = 50) => ({ runs, median, p90: median, min: median, max: median });

const results = {
  date: '2026-11-21T10:00:00.000Z',
  node: 'v20.20.2',
  vitest: {
    files: [
      {
        filepath: 'packages/core/src/x509/x509.bench.ts',
        groups: [
          {
            fullName: 'src/x509/x509.bench.ts > certificate full parse',
            benchmarks: [
              { name: 'kakunin parseCertificate', hz: 33_000, median: 0.03 },
              { name: 'pkijs 4 Certificate.fromBER', hz: 770, median: 1.2 },
            ],
          },
        ],
      },
    ],
  },
  scripts: {
    'check-apdus': {
      machine: { cpu: 'Test CPU', cores: 2 },
      opensc: { version: '0.23.0' },
      inProcess: {
        extended: { apdus: 5, bytes: 1762, wastedProbes: 0 },
        'refuses-fast-paths': { apdus: 15, bytes: 2000, wastedProbes: 2 },
      },
      pcscd: {
        extended: {
          kakunin: { apdus: 5, bytes: 1762, wastedProbes: 0, checkMs: summary(3.5) },
          opensc: {
            apdus: 117,
            bytes: 11_000,
            wastedProbes: 58,
            steps: [{ apdus: 41 }, { apdus: 76 }],
            wallMs: summary(900, 5),
          },
        },
      },
      relayLoopback: {
        'short-link': {
          apdus: 10,
          bridgeCheckMs: summary(6),
          inProcessCheckMs: summary(2),
          softwareMsPerApdu: 0.4,
        },
      },
      linkModels: [
        {
          link: 'BLE iPhone/iPad (30 ms)',
          roundTripMs: 120,
          source: 'Apple Accessory Design Guidelines',
          kakunin: { apdus: 10, ms: 1800 },
          opensc: { apdus: 117, ms: 21_000 },
        },
      ],
    },
    'check-cpu': {
      targetCpuMs: 1,
      results: {
        extended: {
          apduCount: 5,
          cpuMsPerCheck: 0.28,
          replayOnlyCpuMsPerCheck: 0.11,
          sdkCpuMsPerCheck: 0.17,
          wallMsPerCheck: 0.26,
          runs: 2000,
        },
      },
    },
    'ble-latency-model': {
      softwareMsPerApdu: 0.05,
      profiles: [
        {
          profile: 'iPhone/iPad (30 ms)',
          apdus: 13,
          linkMs: 3780,
          shortcutApdus: 10,
          shortcutLinkMs: 3420,
          perExtraApduMs: 120,
        },
      ],
    },
    'x509-scale': {
      certificate: [
        { input: 'J-LIS root', library: 'kakunin', microsecondsPerParse: 15 },
        { input: 'J-LIS root', library: 'pkijs', microsecondsPerParse: 1500 },
      ],
      crl: [
        {
          entries: 1_000_000,
          library: 'kakunin',
          crlMegabytes: 42,
          parseMilliseconds: 250,
          peakRssMegabytes: 127,
          lookupMicroseconds: 0.5,
        },
        { entries: 1_000_000, library: 'pkijs', skipped: 'not run: projected > 150 s' },
      ],
    },
    'some-other-script': { nested: { figureMs: 12.5 } },
  },
};

describe('README results table', () => {
  it('formats numbers and durations for reading', () => {
    expect(formatNumber(1234.5)).toBe('1,235');
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatMs(0.28)).toBe('280 µs');
    expect(formatMs(3.5)).toBe('3.5 ms');
    expect(formatMs(21_000)).toBe('21 s');
    expect(formatMs(undefined)).toBe('—');
  });

  it('never divides kakunin by kakunin', () => {
    const markdown = renderTable({
      vitest: {
        files: [
          {
            filepath: 'x.bench.ts',
            groups: [
              {
                fullName: 'x.bench.ts > lookups',
                benchmarks: [
                  { name: 'kakunin lookup', hz: 1, median: 1 },
                  { name: 'kakunin has', hz: 1, median: 0.1 },
                ],
              },
            ],
          },
        ],
      },
      scripts: {},
    });
    expect(markdown).toContain('| lookups <sub>x.bench.ts</sub> | **kakunin lookup** | 1 | 1 ms |  |');
    expect(markdown).toContain('|  | kakunin has | 1 | 100 µs |  |');
  });

  it('renders every section from one results file, with ratios against kakunin', () => {
    const markdown = renderTable(results);
    expect(markdown).toContain(
      'Measured 2026-11-21 in one `pnpm bench` run on Test CPU (2 cores), Node v20.20.2',
    );
    expect(markdown).toContain(
      '| pcscd + vpcd, extended-capable link | **kakunin** | **5** | 1,762 | 0 | 3.5 ms (median of 50) |',
    );
    expect(markdown).toContain(
      '| pcscd + vpcd, extended-capable link | OpenSC | 117 (41 + 76) | 11,000 | 58 |',
    );
    expect(markdown).toContain('OpenSC sends 23× the APDUs and 6.2× the bytes');
    expect(markdown).toContain('| link | client | APDUs | bytes | refused commands | wall time per check |');
    expect(markdown).toContain('Through vpcd every APDU costs ≈ 700 µs–700 µs of wall time');
    expect(markdown).toContain(
      '| in process, card refuses SFI (6A 86) and extended (67 00) | kakunin | 15 | 2,000 | 2 | — |',
    );
    expect(markdown).toContain('**280 µs**');
    expect(markdown).toContain(
      '| BLE iPhone/iPad (30 ms) | 120 ms | 10 APDUs, **1,800 ms** | 117 APDUs, 21 s | 12× |',
    );
    expect(markdown).toContain(
      'short-only link: 10 APDUs, 6 ms per check through the bridge vs 2 ms in process → 400 µs per APDU',
    );
    expect(markdown).toContain('| **kakunin parseCertificate** | 33,000 | 30 µs |  |');
    expect(markdown).toContain('| pkijs 4 Certificate.fromBER | 770 | 1.2 ms | 40× |');
    expect(markdown).toContain('| iPhone/iPad (30 ms) | 13 APDUs, 3,780 ms | 10 APDUs, 3,420 ms | 120 ms |');
    expect(markdown).toContain('| J-LIS root | **kakunin** | 15 µs |  |');
    expect(markdown).toContain('|  | pkijs | 1.5 ms | 100× |');
    expect(markdown).toContain('| 1,000,000 (42 MB) | **kakunin** | 250 ms |  | 127 MB | 0.5 µs |');
    expect(markdown).toContain('|  | pkijs | not run: projected > 150 s |');
    expect(markdown).toContain('<details><summary>some-other-script (1 figures)</summary>');
    expect(markdown).toContain('| nested › figureMs | 12.5 |');
    expect(markdown).not.toMatch(/\n\n\n/);
    expect(markdown).not.toContain('undefined');
    expect(markdown).not.toContain('NaN');
  });

  it('replaces only the text between the markers', () => {
    const readme = `# kakunin\n\n## Performance\n\n${START_MARKER}\nold table\n${END_MARKER}\n\n## After\ntext\n`;
    const updated = replaceBetweenMarkers(readme, 'new table');
    expect(updated).toBe(
      `# kakunin\n\n## Performance\n\n${START_MARKER}\nnew table\n${END_MARKER}\n\n## After\ntext\n`,
    );
    expect(replaceBetweenMarkers(updated, 'new table')).toBe(updated);
  });

  it('adds a Performance section with the markers when they are missing', () => {
    const updated = replaceBetweenMarkers('# kakunin\n\nintro\n', 'table');
    expect(updated).toBe(`# kakunin\n\nintro\n\n## Performance\n\n${START_MARKER}\ntable\n${END_MARKER}\n`);
  });
});
