/**
 * Loads J-LIS root certificates (the production trust anchors) from a directory of PEM files, e.g.
 * `../shared/data/jpki-roots` (auth_ca_2015.pem, auth_ca_2023.pem, …). The roots are public
 * documents published by J-LIS, but they are read at run time and never bundled. Each file is
 * parsed strictly; a file that is not a JPKI root (its subject is neither the auth nor the sign
 * root DN) is skipped with the reason. Roots with a published fingerprint are identified
 * (`authca01`, `authca03`, …, certificates.md §2.1); others (e.g. the 2019 generation, whose
 * fingerprint is not fully published) are kept as `pinned: undefined` — the directory is the
 * operator's trust decision.
 *
 * @example
 * ```ts
 * const roots = await loadJpkiTrustAnchors('../shared/data/jpki-roots');
 * roots.anchors.length; // 4
 * roots.loaded.map((root) => root.id); // ['authca01', 'authca03', 'signca01', 'signca03']
 * ```
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bytesToHex } from '@kakunin/core/transport';
import { JPKI_ROOTS, jpkiRootName, Name, parseCertificate } from '@kakunin/core/x509';

export interface LoadedJpkiRoot {
  readonly file: string;
  readonly purpose: 'auth' | 'sign';
  /** Published root id (`authca03` …), undefined when its fingerprint is not in the published list. */
  readonly id: string | undefined;
  readonly notAfter: string;
}

export interface JpkiTrustAnchors {
  readonly directory: string;
  /** DER of every accepted root. */
  readonly anchors: readonly Uint8Array[];
  readonly loaded: readonly LoadedJpkiRoot[];
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
}

/** A PEM file may not exceed this (a root is ~1.5 KB; the cap stops reading a wrong huge file). */
const MAX_PEM_FILE_BYTES = 64 * 1024;

/**
 * Reads every `*.pem` of `directory` (sorted by name). Rejects if the directory cannot be read.
 *
 * @example
 * ```ts
 * const { anchors } = await loadJpkiTrustAnchors('/etc/kakunin/jpki-roots');
 * ```
 */
export async function loadJpkiTrustAnchors(directory: string): Promise<JpkiTrustAnchors> {
  if (typeof directory !== 'string' || directory.length === 0)
    throw new TypeError('loadJpkiTrustAnchors: directory must be a non-empty string');
  const names = (await readdir(directory)).filter((name) => name.endsWith('.pem')).sort();
  const authName = new Name(jpkiRootName('auth'));
  const signName = new Name(jpkiRootName('sign'));
  const anchors: Uint8Array[] = [];
  const loaded: LoadedJpkiRoot[] = [];
  const skipped: { file: string; reason: string }[] = [];
  for (const file of names) {
    try {
      const bytes = await readFile(join(directory, file));
      if (bytes.length > MAX_PEM_FILE_BYTES) throw new RangeError(`larger than ${MAX_PEM_FILE_BYTES} bytes`);
      const certificate = parseCertificate(bytes.toString('utf8')).decodeAll();
      const purpose = certificate.subject.equals(authName)
        ? 'auth'
        : certificate.subject.equals(signName)
          ? 'sign'
          : undefined;
      if (purpose === undefined) {
        skipped.push({ file, reason: `not a JPKI root: ${certificate.subject.toString()}` });
        continue;
      }
      const fingerprint = bytesToHex(createHash('sha256').update(certificate.der).digest()).toUpperCase();
      anchors.push(certificate.der);
      loaded.push({
        file,
        purpose,
        id: JPKI_ROOTS.find((root) => root.sha256 === fingerprint)?.id,
        notAfter: certificate.notAfter.toISOString(),
      });
    } catch (error) {
      skipped.push({ file, reason: (error as Error).message });
    }
  }
  return { directory, anchors, loaded, skipped };
}
