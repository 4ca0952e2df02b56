#!/usr/bin/env node
// x509 scale benchmarks for packages/core/README.md, one child process per measurement (clean
// heap, honest peak RSS): full certificate parse (kakunin vs pkijs 4, @peculiar/x509 2,
// node:crypto) as median µs/op, and CRL parse + index of synthetic 10k / 100k / 1M-entry CRLs
// (time, retained memory, peak RSS, lookup time). pkijs and @peculiar/x509 get raised asn1js
// limits (their defaults reject CRLs above ~3,300 entries). Needs `pnpm -s turbo run build`.
// Usage: node tools/bench/x509-scale.mjs [--quick | --certificates-only]   (last stdout line: JSON results)
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const coreDirectory = join(root, 'packages/core');
const coreRequire = createRequire(join(coreDirectory, 'package.json'));
const rootCertificatePath = resolve(root, '../shared/data/jpki-roots/auth_ca_2023.pem');
const BER_LIMITS = { maxNodes: 100_000_000, maxDepth: 100, maxContentLength: 1024 * 1024 * 1024 };
const self = fileURLToPath(import.meta.url);

async function core(subpath) {
  const file = join(coreDirectory, 'dist', subpath, 'index.js');
  if (!existsSync(file)) throw new Error(`${file} missing: run pnpm -s turbo run build first`);
  return import(pathToFileURL(file).href);
}
async function pkijsModules() {
  const asn1js = await import(pathToFileURL(coreRequire.resolve('asn1js')).href);
  const pkijs = await import(pathToFileURL(coreRequire.resolve('pkijs')).href);
  return { asn1js, pkijs };
}
function peculiar() {
  coreRequire('reflect-metadata'); // tsyringe inside @peculiar/x509 needs it
  return coreRequire('@peculiar/x509');
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// ------------------------------------------------------------------------------------------
// Child: certificate parse, median of batches.
async function childCertificate(library, file) {
  const { pemToDer, parseCertificate } = await core('x509');
  const der =
    file === undefined
      ? pemToDer(readFileSync(rootCertificatePath, 'utf8'), 'CERTIFICATE')
      : new Uint8Array(readFileSync(file));
  let parse;
  if (library === 'kakunin')
    parse = () => {
      const c = parseCertificate(der).decodeAll();
      return (
        c.subject.toString().length +
        c.issuer.toString().length +
        c.notAfterTime +
        (c.keyUsage?.mask ?? 0) +
        c.extensions.length
      );
    };
  else if (library === 'pkijs') {
    const { pkijs } = await pkijsModules();
    parse = () => {
      const c = pkijs.Certificate.fromBER(der);
      return (
        c.subject.typesAndValues.length +
        c.issuer.typesAndValues.length +
        c.notAfter.value.getTime() +
        (c.extensions?.length ?? 0)
      );
    };
  } else if (library === 'peculiar') {
    const x509 = peculiar();
    parse = () => {
      const c = new x509.X509Certificate(der);
      return (
        c.subject.length +
        c.issuer.length +
        c.notAfter.getTime() +
        c.extensions.length +
        c.publicKey.rawData.byteLength
      );
    };
  } else {
    parse = () => {
      const c = new X509Certificate(der);
      return (
        c.subject.length +
        c.issuer.length +
        c.validTo.length +
        (c.keyUsage?.length ?? 0) +
        c.serialNumber.length
      );
    };
  }
  let sink = 0;
  // Calibrate a batch to ~50 ms, warm up for ~1 s, then take 15 batches.
  let batch = 1;
  for (;;) {
    const start = performance.now();
    for (let index = 0; index < batch; index++) sink += parse();
    if (performance.now() - start > 50) break;
    batch *= 2;
  }
  const warmUntil = performance.now() + 1000;
  while (performance.now() < warmUntil) sink += parse();
  const samples = [];
  for (let round = 0; round < 15; round++) {
    const start = performance.now();
    for (let index = 0; index < batch; index++) sink += parse();
    samples.push(((performance.now() - start) * 1000) / batch);
  }
  return { library, microsecondsPerParse: median(samples), minimum: Math.min(...samples), sink: sink > 0 };
}

// ------------------------------------------------------------------------------------------
// Child: CRL parse + index, memory and lookups.
async function childCrl(library, file, count) {
  // Load the library first: module loading is not part of parsing.
  const kakunin = library === 'kakunin' ? await core('x509') : undefined;
  const tree = library === 'pkijs' ? await pkijsModules() : undefined;
  const x509 = library === 'peculiar' ? peculiar() : undefined;
  const bytes = new Uint8Array(readFileSync(file));
  globalThis.gc?.();
  const before = process.memoryUsage();
  const rssBefore = before.rss;
  const start = performance.now();
  let lookup;
  let entries;
  let indexMegabytes;
  if (kakunin !== undefined) {
    const crl = kakunin.parseCrl(bytes);
    entries = crl.entryCount;
    indexMegabytes = crl.indexByteLength / 1e6;
    lookup = (serial) => crl.has(serial);
  } else if (tree !== undefined) {
    const { asn1js, pkijs } = tree;
    const asn1 = asn1js.fromBER(bytes, BER_LIMITS);
    if (asn1.offset === -1) throw new Error(`asn1js: ${asn1.result.error}`);
    const crl = new pkijs.CertificateRevocationList({ schema: asn1.result });
    entries = crl.revokedCertificates?.length ?? 0;
    lookup = (serial) => {
      const integer = new asn1js.Integer({ valueHex: serial });
      return crl.revokedCertificates.some((entry) => entry.userCertificate.isEqual(integer));
    };
  } else {
    const crl = new x509.X509Crl(bytes, { berOptions: BER_LIMITS });
    entries = crl.entries.length;
    lookup = (serial) => crl.findRevoked(serial) !== null;
  }
  const parseMilliseconds = performance.now() - start;
  const peakRssMegabytes = process.resourceUsage().maxRSS / 1024;
  globalThis.gc?.();
  const after = process.memoryUsage();
  const lookups = library === 'kakunin' ? 100_000 : 20;
  // One reused 9-byte buffer: the lookups themselves allocate nothing on our side.
  const serial = new Uint8Array(9);
  const view = new DataView(serial.buffer);
  const lookupStart = performance.now();
  let hits = 0;
  for (let index = 0; index < lookups; index++) {
    view.setBigUint64(1, 0x8100_0000_0000_0000n + BigInt((index * 7919) % (count * 2)) * 0x9e37n);
    if (lookup(serial)) hits++;
  }
  const lookupMicroseconds = ((performance.now() - lookupStart) * 1000) / lookups;
  return {
    library,
    entries,
    crlMegabytes: bytes.length / 1e6,
    parseMilliseconds,
    retainedMegabytes: (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 1e6,
    peakRssMegabytes,
    ...(indexMegabytes === undefined ? {} : { indexMegabytes }),
    rssBeforeParseMegabytes: rssBefore / 1e6,
    lookupMicroseconds,
    hitRate: hits / lookups,
  };
}

// ------------------------------------------------------------------------------------------
// Parent: build inputs, spawn children, print a table and a JSON line.
async function buildCrlFile(count, directory) {
  const file = join(directory, `crl-${count}.der`);
  if (existsSync(file)) return file;
  const {
    derBitString,
    derContextExplicit,
    derInteger,
    derNull,
    derOctetString,
    derOid,
    derSequence,
    derUtcTime,
    derTlv,
  } = await core('der');
  const { jpkiRootName } = await core('x509');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // Entry: 30 28 | 02 09 00 <8> | 17 0D <13> | 30 0C 30 0A 06 03 55 1D 15 04 03 0A 01 <reason> (42 B)
  const head = Uint8Array.of(0x30, 0x28, 0x02, 0x09, 0x00);
  const time = Uint8Array.of(0x17, 0x0d, ...new TextEncoder().encode('250401000000Z'));
  const reason = Uint8Array.of(
    0x30,
    0x0c,
    0x30,
    0x0a,
    0x06,
    0x03,
    0x55,
    0x1d,
    0x15,
    0x04,
    0x03,
    0x0a,
    0x01,
    0x00,
  );
  const size = head.length + 8 + time.length + reason.length;
  const content = new Uint8Array(count * size);
  const view = new DataView(content.buffer);
  for (let index = 0; index < count; index++) {
    const offset = index * size;
    content.set(head, offset);
    view.setBigUint64(offset + head.length, 0x8100_0000_0000_0000n + BigInt(index) * 0x9e37n);
    content.set(time, offset + head.length + 8);
    content.set(reason, offset + head.length + 8 + time.length);
    content[offset + size - 1] = index % 6;
  }
  const algorithm = derSequence(derOid('1.2.840.113549.1.1.11'), derNull());
  const crlNumber = derSequence(derOid('2.5.29.20'), derOctetString(derInteger(1)));
  const tbs = derSequence(
    derInteger(1),
    algorithm,
    jpkiRootName('sign'),
    derUtcTime(new Date('2026-06-01T00:00:00Z')),
    derUtcTime(new Date('2026-06-02T00:00:00Z')),
    derTlv(0x30, content),
    derContextExplicit(0, derSequence(crlNumber)),
  );
  const signature = new Uint8Array(sign('sha256', tbs, privateKey));
  writeFileSync(file, derSequence(tbs, algorithm, derBitString(signature)));
  return file;
}

/** A JPKI-shaped 署名用 end-entity certificate (synthetic holder; certificates.md §3). */
async function buildSignCertificateFile(directory) {
  const file = join(directory, 'jpki-sign-ee.der');
  if (existsSync(file)) return file;
  const d = await core('der');
  const { jpkiRootName } = await core('x509');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  const name = (pairs) =>
    d.derSequence(
      ...pairs.map(([oid, value, printable]) =>
        d.derSet(
          d.derSequence(d.derOid(oid), printable ? d.derPrintableString(value) : d.derUtf8String(value)),
        ),
      ),
    );
  const extension = (oid, value, critical) =>
    critical
      ? d.derSequence(d.derOid(oid), d.derBoolean(true), d.derOctetString(value))
      : d.derSequence(d.derOid(oid), d.derOctetString(value));
  const otherName = (oid, value) =>
    d.derContextImplicit(
      0,
      Uint8Array.from([...d.derOid(oid), ...d.derContextExplicit(0, d.derUtf8String(value))]),
      true,
    );
  const partition = name([
    ['2.5.4.6', 'JP', true],
    ['2.5.4.10', 'JPKI'],
    ['2.5.4.11', 'JPKI for digital signature'],
    ['2.5.4.11', 'CRL Distribution Points'],
    ['2.5.4.11', 'Tokyo-to'],
    ['2.5.4.3', 'Chiyoda-ku CRLDP'],
  ]);
  const keyId = Uint8Array.from({ length: 20 }, (_, index) => index * 13);
  const algorithm = d.derSequence(d.derOid('1.2.840.113549.1.1.11'), d.derNull());
  const tbs = d.derSequence(
    d.derContextExplicit(0, d.derInteger(2)),
    d.derInteger(0x0a1b2c3d),
    algorithm,
    jpkiRootName('sign'),
    d.derSequence(
      d.derUtcTime(new Date('2025-10-27T01:00:00Z')),
      d.derUtcTime(new Date('2030-02-17T14:59:59Z')),
    ),
    name([
      ['2.5.4.6', 'JP', true],
      ['2.5.4.7', 'Tokyo-to', true],
      ['2.5.4.7', 'Chiyoda-ku', true],
      ['2.5.4.3', '2025102701000000001A', true],
    ]),
    spki,
    d.derContextExplicit(
      3,
      d.derSequence(
        extension('2.5.29.15', d.derBitString(Uint8Array.of(0xc0), 6), true),
        extension(
          '2.5.29.32',
          d.derSequence(
            d.derSequence(
              d.derOid('1.2.392.200149.8.5.1.1.20'),
              d.derSequence(
                d.derSequence(
                  d.derOid('1.3.6.1.5.5.7.2.1'),
                  d.derIA5String('http://www.jpki.go.jp/cps.html'),
                ),
              ),
            ),
          ),
          true,
        ),
        extension(
          '2.5.29.17',
          d.derSequence(
            otherName('1.2.392.200149.8.5.5.1', '架空　花子'),
            otherName('1.2.392.200149.8.5.5.2', '00000'),
            otherName('1.2.392.200149.8.5.5.3', '2'),
            otherName('1.2.392.200149.8.5.5.4', '319800401'),
            otherName('1.2.392.200149.8.5.5.5', '東京都千代田区架空町一丁目２番３号'),
            otherName('1.2.392.200149.8.5.5.6', '0'.repeat(17)),
          ),
        ),
        extension(
          '2.5.29.18',
          d.derSequence(
            d.derContextExplicit(
              4,
              name([
                ['2.5.4.6', 'JP', true],
                ['2.5.4.10', '公的個人認証サービス'],
              ]),
            ),
          ),
        ),
        extension(
          '2.5.29.31',
          d.derSequence(
            d.derSequence(
              d.derContextImplicit(
                0,
                d.derContextImplicit(0, d.derContextExplicit(4, partition), true),
                true,
              ),
            ),
          ),
        ),
        extension('2.5.29.14', d.derOctetString(keyId)),
        extension('2.5.29.35', d.derSequence(d.derContextImplicit(0, keyId))),
      ),
    ),
  );
  writeFileSync(
    file,
    d.derSequence(tbs, algorithm, d.derBitString(new Uint8Array(sign('sha256', tbs, privateKey)))),
  );
  return file;
}

function spawnChild(args, timeoutMs) {
  // Only the tree parsers need a larger heap (a larger heap limit also grows V8's young
  // generation, inflating RSS, so kakunin runs with node's defaults).
  const heap = args[1] === 'pkijs' || args[1] === 'peculiar' ? ['--max-old-space-size=8192'] : [];
  const run = spawnSync(process.execPath, ['--expose-gc', ...heap, self, 'child', ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (run.status !== 0)
    return {
      library: args[1],
      error: (run.stderr || run.error?.message || `exit ${run.status}`)
        .trim()
        .split('\n')
        .slice(-3)
        .join(' '),
    };
  return JSON.parse(run.stdout.trim().split('\n').at(-1));
}

function printCertificates(results) {
  process.stdout.write('\nCertificate full parse, median µs/op:\n');
  for (const entry of results.certificate) {
    const kakuninEntry = results.certificate.find(
      (candidate) => candidate.library === 'kakunin' && candidate.input === entry.input,
    );
    process.stdout.write(
      `  ${entry.input.padEnd(32)} ${entry.library.padEnd(9)} ${entry.error ?? `${entry.microsecondsPerParse.toFixed(2)} µs  (${(entry.microsecondsPerParse / kakuninEntry.microsecondsPerParse).toFixed(1)}× kakunin)`}\n`,
    );
  }
}

async function parent() {
  const quick = process.argv.includes('--quick');
  const directory = join(tmpdir(), 'kakunin-x509-bench');
  mkdirSync(directory, { recursive: true });
  const results = {
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    certificate: [],
    crl: [],
  };

  results.baseline = spawnChild(['baseline'], 60_000);
  const signFile = await buildSignCertificateFile(directory);
  for (const [input, file] of [
    ['J-LIS auth root 2023 (1,319 B)', undefined],
    ['JPKI-shaped sign certificate', signFile],
  ])
    for (const library of ['kakunin', 'pkijs', 'peculiar', 'node'])
      results.certificate.push({
        input,
        ...spawnChild(['certificate', library, ...(file === undefined ? [] : [file])], 300_000),
      });
  if (process.argv.includes('--certificates-only')) {
    printCertificates(results);
    return;
  }
  const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
  for (const count of sizes) {
    const file = await buildCrlFile(count, directory);
    for (const library of ['kakunin', 'pkijs', 'peculiar']) {
      if (count > 100_000 && library !== 'kakunin') {
        results.crl.push({
          library,
          entries: count,
          skipped: 'not run: projected > 150 s and > 8 GB (10× the 100k figures)',
        });
        continue;
      }
      results.crl.push({ count, ...spawnChild(['crl', library, file, String(count)], 600_000) });
    }
  }

  printCertificates(results);
  process.stdout.write(
    `\nCRL parse + index (child process each; an empty node process peaks at ${results.baseline.peakRssMegabytes?.toFixed(0)} MB RSS):\n`,
  );
  for (const entry of results.crl) {
    if (entry.skipped !== undefined || entry.error !== undefined) {
      process.stdout.write(
        `  ${entry.library.padEnd(9)} ${String(entry.entries ?? entry.count).padStart(8)}  ${entry.skipped ?? entry.error}\n`,
      );
      continue;
    }
    process.stdout.write(
      `  ${entry.library.padEnd(9)} ${String(entry.entries).padStart(8)} entries ${entry.crlMegabytes.toFixed(1)} MB: ${entry.parseMilliseconds.toFixed(0)} ms, retained ${entry.retainedMegabytes.toFixed(0)} MB${entry.indexMegabytes === undefined ? '' : ` (index ${entry.indexMegabytes.toFixed(2)} MB)`}, peak RSS ${entry.peakRssMegabytes.toFixed(0)} MB, lookup ${entry.lookupMicroseconds.toFixed(2)} µs\n`,
    );
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

if (process.argv[2] === 'child') {
  const [kind, library, file, count] = process.argv.slice(3);
  const result =
    kind === 'baseline'
      ? { peakRssMegabytes: process.resourceUsage().maxRSS / 1024 }
      : kind === 'certificate'
        ? await childCertificate(library, file)
        : await childCrl(library, file, Number(count));
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  await parent();
}
