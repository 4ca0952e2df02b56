/**
 * Certificate and CRL seeds: the simulator's test JPKI hierarchy (roots, the card's auth and sign
 * certificates, the CV certificate's issuer), CRLs with and without entries and reason codes, the
 * real J-LIS roots and the x509-limbo certificates and CRLs from ../shared/data (public data,
 * read at run time, never copied into the repository).
 *
 * @example
 * ```ts
 * const { certificates, crls } = await pkiSeeds('/work/main');
 * ```
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePemBlocks } from '@kakunin/core/x509';
import { createCardProfile } from '@kakunin/simulator';
import { buildCrl, largeCrl } from '@kakunin/simulator/pki';
import { testKeyStore } from '../../support/key-store.js';

export interface PkiSeeds {
  readonly certificates: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
}

const cache = new Map<string, Promise<PkiSeeds>>();

function pemBlocks(text: string, label: string): Uint8Array[] {
  try {
    return decodePemBlocks(text)
      .filter((block) => block.label === label)
      .map((block) => block.der);
  } catch {
    return [];
  }
}

async function sharedData(repositoryRoot: string): Promise<PkiSeeds> {
  const certificates: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  const data = join(repositoryRoot, '..', 'shared', 'data');
  const roots = join(data, 'jpki-roots');
  for (const file of await readdir(roots).catch(() => [] as string[])) {
    if (file.endsWith('.pem'))
      certificates.push(...pemBlocks(await readFile(join(roots, file), 'utf8'), 'CERTIFICATE'));
  }
  const limboText = await readFile(join(data, 'x509-limbo', 'limbo-public.json'), 'utf8').catch(() => '');
  if (limboText !== '') {
    const limbo = JSON.parse(limboText) as {
      testcases: Array<{
        trusted_certs?: string[];
        untrusted_intermediates?: string[];
        peer_certificate?: string;
        crls?: string[];
      }>;
    };
    for (const testcase of limbo.testcases) {
      for (const pem of [
        ...(testcase.trusted_certs ?? []),
        ...(testcase.untrusted_intermediates ?? []),
        ...(testcase.peer_certificate === undefined ? [] : [testcase.peer_certificate]),
      ])
        certificates.push(...pemBlocks(pem, 'CERTIFICATE'));
      for (const pem of testcase.crls ?? []) crls.push(...pemBlocks(pem, 'X509 CRL'));
    }
  }
  return { certificates, crls };
}

async function build(repositoryRoot: string): Promise<PkiSeeds> {
  const keyStore = testKeyStore();
  const plastic = createCardProfile('plastic', { keyStore });
  const child = createCardProfile('child', { keyStore });
  const pki = plastic.pki;
  const certificates: Uint8Array[] = [
    pki.authCa.certificate,
    pki.signCa.certificate,
    plastic.authCertificate.certificate,
    child.authCertificate.certificate,
  ];
  if (plastic.signCertificate !== null) certificates.push(plastic.signCertificate.certificate);
  const thisUpdate = new Date('2026-01-01T00:00:00Z');
  const nextUpdate = new Date('2026-01-02T00:00:00Z');
  const crls: Uint8Array[] = [
    buildCrl({ issuer: pki.authCa, thisUpdate, nextUpdate, entries: [] }),
    buildCrl({
      issuer: pki.authCa,
      thisUpdate,
      nextUpdate,
      entries: [
        {
          serialNumber: plastic.authCertificate.serialNumber,
          revokedAt: thisUpdate,
          reason: 'keyCompromise',
        },
        { serialNumber: child.authCertificate.serialNumber, revokedAt: thisUpdate },
        { serialNumber: Uint8Array.of(0x01), revokedAt: thisUpdate, reason: 'superseded' },
      ],
      partition: plastic.authCertificate.crlPartition,
      crlNumber: 7,
    }),
  ];
  crls.push(largeCrl({ issuer: pki.signCa, entries: 40, thisUpdate, nextUpdate }).toBytes());
  const shared = await sharedData(repositoryRoot);
  return { certificates: [...certificates, ...shared.certificates], crls: [...crls, ...shared.crls] };
}

/** Certificates and CRLs to start fuzzing from (built once per process and root). */
export function pkiSeeds(repositoryRoot: string): Promise<PkiSeeds> {
  let seeds = cache.get(repositoryRoot);
  if (seeds === undefined) {
    seeds = build(repositoryRoot);
    cache.set(repositoryRoot, seeds);
  }
  return seeds;
}
