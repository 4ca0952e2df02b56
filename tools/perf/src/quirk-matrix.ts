/**
 * The quirk matrix (issue 14 Deliver 5): the JPKI API × each field behaviour the simulator models ×
 * extended / short links, counted at the card on first contact. Each cell runs on a fresh card and
 * a fresh connection, so the count includes every probe the SDK needs to learn the card.
 *
 * The budgets (quirk-budgets.json) are the exact counts, reviewed once and asserted by
 * quirk-matrix.test.ts; `pnpm --filter @kakunin/tools-perf matrix:update` rewrites them and the
 * README table from a fresh run (a change in any cell is then a visible diff).
 *
 * @example
 * ```ts
 * const cell = await runCell(behaviour('t0-pieces'), 'check', 'short', { keyStore });
 * cell.apdus; // 16
 * ```
 */

import { MyNumberCard } from '@kakunin/core/jpki';
import { CardError } from '@kakunin/core/transport';
import {
  ATR_CONTACTLESS,
  type CardQuirks,
  FIELD_ATRS,
  type ProfileName,
  type ReaderQuirks,
  SimulatorProvider,
  type TestKeyStore,
} from '@kakunin/simulator';
import { describeLog } from './apdu-tally.js';
import type { CountingCardEndpoint } from './counting-card-endpoint.js';
import type { LinkMode } from './link-modes.js';
import { type CountedCardOptionsJson, createCountedCard, fixedChallenge } from './simulated-check.js';

/** One field behaviour (a row of the matrix). */
export interface Behaviour {
  readonly name: string;
  readonly description: string;
  /** Where the behaviour is documented. */
  readonly source: string;
  readonly profile?: ProfileName;
  readonly quirks?: CardQuirks;
  readonly reader?: ReaderQuirks;
  readonly atrHex?: string;
  /** The card refuses SFI addressing (6A 86) — fault plan of fast-path-refusals.ts. */
  readonly refusesSfi?: boolean;
  /** Exact DER lengths of the certificates (simulator profile options; README "Certificate sizes"). */
  readonly authCertificateLength?: number;
  readonly signCertificateLength?: number;
  /** Why OpenSC does not run this row (quirk-matrix-opensc.ts), when it does not. */
  readonly openscSkip?: string;
}

/** The simulator card of a behaviour, as the card host receives it (JSON). */
export function cardOptionsFor(behaviour: Behaviour): CountedCardOptionsJson {
  return {
    profile: behaviour.profile ?? 'plastic',
    ...(behaviour.quirks === undefined ? {} : { quirks: behaviour.quirks }),
    ...(behaviour.atrHex === undefined ? {} : { atrHex: behaviour.atrHex }),
    ...(behaviour.authCertificateLength === undefined
      ? {}
      : { authCertificateLength: behaviour.authCertificateLength }),
    ...(behaviour.signCertificateLength === undefined
      ? {}
      : { signCertificateLength: behaviour.signCertificateLength }),
  };
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase();

export const BEHAVIOURS: readonly Behaviour[] = [
  { name: 'plastic', description: 'My Number card, no quirk', source: 'jpki-card.md' },
  {
    name: 't0',
    description: 'T=0-style 61 xx on every answer with data; 80 C0 refused 6D 00',
    source: 'ISO 7816-3 §10.3.3, ISO 7816-4 §5.3.4; issue 14 seen-1',
    quirks: { getResponse: {} },
  },
  {
    name: 't0-pieces',
    description: '61 xx announcing pieces of 100 bytes; 80 C0 refused 6E 00',
    source: 'ISO 7816-4 §5.1.3 (61 xx: xx bytes still available)',
    quirks: { getResponse: { piece: 100, proprietaryClassSw: 0x6e00 } },
  },
  {
    name: 'cap-224',
    description: 'READ BINARY cap 224 bytes (6C E0)',
    source: 'ISO 7816-4 §5.3.4; issue 14 seen-2 (emulator behind a relay)',
    quirks: { responseCap: 224 },
  },
  {
    name: 'cap-61',
    description: 'READ BINARY cap 61 bytes (6C 3D)',
    source: 'ISO 7816-4 §5.3.4 (any cap 1..256)',
    quirks: { responseCap: 61 },
  },
  {
    name: 'eof-6c',
    description: 'end of file answered 6C xx (bytes left) instead of data + 62 82',
    source: 'ISO 7816-4 §5.3.4; data + 62 82 is the card default (jpki-card.md §8)',
    quirks: { endOfFile: 'wrong-le' },
  },
  {
    name: 'verify-9000',
    description: 'empty VERIFY answers 90 00 right after a correct PIN',
    source: 'ISO 7816-4 §11.5.6; issue 14',
    quirks: { emptyVerifyAnswers9000WhenVerified: true },
  },
  {
    name: 'no-sfi',
    description: 'card refuses SFI addressing (6A 86)',
    source: 'issue 10 / issue 14 seen-2 (short-only card without SFI)',
    refusesSfi: true,
  },
  {
    name: 'cap-224-cert-1120',
    description: 'READ BINARY cap 224 bytes; auth certificate of 1,120 bytes (5 × 224)',
    source: 'issue 14 budget table (≤ 10 / ≤ 13 hold for certificates ≤ 1,120 bytes)',
    quirks: { responseCap: 224 },
    authCertificateLength: 1120,
    openscSkip: 'same card as `no-sfi-cert-1120` for OpenSC (it never uses SFI)',
  },
  {
    name: 'no-sfi-cert-1120',
    description: 'no SFI, READ BINARY cap 224 bytes, auth certificate of 1,120 bytes',
    source: 'issue 14 seen-2 (short-only card without SFI, 224-byte cap)',
    refusesSfi: true,
    quirks: { responseCap: 224 },
    authCertificateLength: 1120,
  },
  {
    name: 'sign-1837',
    description: 'sign certificate of 1,837 bytes, the size read off a real card',
    source: 'portal.mynumber.dev/mynumber-apdu/sign (JPKI 利用者ソフト trace: 7 × 255 + 52 bytes)',
    signCertificateLength: 1837,
    openscSkip: 'OpenSC’s operations here never read the sign certificate',
  },
  {
    name: 'atr-contactless',
    description: `contactless ATR ${hex(ATR_CONTACTLESS).slice(0, 8)}…`,
    source: 'jpki-card.md §12.2 (PC/SC part 3)',
    atrHex: hex(ATR_CONTACTLESS),
  },
  {
    name: 'atr-contact-2',
    description: `contact ATR ${hex(FIELD_ATRS[2]!).slice(0, 8)}…`,
    source: 'OpenSC#3021',
    atrHex: hex(FIELD_ATRS[2]!),
  },
  {
    name: 'reader-no-ext',
    description: 'reader fails extended APDUs with SCardTransmit 0x80100016',
    source: 'transports.md §2.2 (ACS; node-pcsclite #48)',
    reader: { refusesExtended: true },
  },
  {
    name: 'reader-le00',
    description: 'reader answers a short Le = 00 with 90 00 and no data',
    source: 'mwalle/neopgp#3 (ACR122U); OpenSC max_recv_size 255 (OpenSC#1731, #1856)',
    reader: { mishandlesShortLeZero: true },
  },
  {
    name: 'android',
    description: 'JPKIAPGPSETOKEN: auth certificate behind the auth PIN',
    source: 'jpki-card.md §3.2, §14',
    profile: 'android',
  },
  {
    name: 'iphone',
    description: 'JPKIAPIOSTOKEN: 80 FC 00 00 on close (modelled, see simulator README)',
    source: 'jpki-card.md §3.2, §9, §14 ([SOL], single source)',
    profile: 'iphone',
  },
  {
    name: 'juki',
    description: 'JPKIAPICCTOKEN (住基カード): certificates all expired',
    source: 'jpki-card.md §3.2',
    profile: 'juki',
  },
  {
    name: 'face-auth',
    description: '顔認証マイナンバーカード: no PIN (VERIFY → 69 84), no sign certificate',
    source: 'municipal guidance 2023-12 (no PIN, no sign certificate); 69 84 is an assumption',
    profile: 'face-auth',
  },
];

export const OPERATIONS = [
  'detect',
  'pinStatus',
  'check',
  'authCert',
  'signCert',
  'signAuth',
  'signSign',
  'changePin',
  'textIntegrity',
  'faceAp',
] as const;
export type Operation = (typeof OPERATIONS)[number];
export type Link = 'extended' | 'short';

export interface CellResult {
  readonly apdus: number;
  /** Answers that refused what was asked (wasted probes, 6C xx, 6A xx, 67 00, 6D/6E 00). */
  readonly refused: number;
  /** `ok`, or the stable error code the SDK threw (an expected outcome for some cards). */
  readonly outcome: string;
  readonly log: string;
}

/** Credentials of the simulator profiles (packages/simulator README). */
const AUTH_PIN = '1234';
const SIGN_PASSWORD = 'KAKUNIN1';
const CARD_INFO_PIN = '1234';

/**
 * One API call as a caller writes it on first contact (verifying the PIN it needs first).
 * Android / iPhone: the auth certificate needs the auth PIN — the SDK says so
 * (SECURITY_STATUS_NOT_SATISFIED, `details.needs`), the caller verifies and reads again.
 */
export async function runOperation(card: MyNumberCard, operation: Operation, faceB: string): Promise<void> {
  const message = new TextEncoder().encode('処方箋 2026-12-07');
  switch (operation) {
    case 'detect':
      await card.detect();
      return;
    case 'pinStatus':
      await card.pinStatus('auth');
      return;
    case 'check':
      await card.check({ pin: AUTH_PIN, challenge: fixedChallenge() });
      return;
    case 'authCert':
      try {
        await card.readCertificate('auth');
      } catch (error) {
        if (!CardError.isInstance(error, 'SECURITY_STATUS_NOT_SATISFIED')) throw error;
        await card.verifyPin('auth', AUTH_PIN);
        await card.readCertificate('auth');
      }
      return;
    case 'signCert':
      await card.verifyPin('sign', SIGN_PASSWORD);
      await card.readCertificate('sign');
      return;
    case 'signAuth':
      await card.verifyPin('auth', AUTH_PIN);
      await card.sign('auth', message);
      return;
    case 'signSign':
      await card.verifyPin('sign', SIGN_PASSWORD);
      await card.sign('sign', message);
      return;
    case 'changePin':
      await card.changePin('auth', AUTH_PIN, '5678');
      return;
    case 'textIntegrity':
      await card.verifyPin('text', CARD_INFO_PIN);
      await card.verifyTextIntegrity();
      return;
    case 'faceAp':
      await card.verifyPin('faceB', faceB);
      await card.readCardFace();
      return;
  }
}

/** Status words that refuse what was asked (the caller had to try again another way). */
export function isRefusal(sw: number): boolean {
  const sw1 = sw >> 8;
  return sw1 === 0x6c || sw1 === 0x6a || sw === 0x6700 || sw === 0x6d00 || sw === 0x6e00 || sw === 0x6984;
}

export function linkModeFor(behaviour: Behaviour, link: Link): LinkMode {
  return {
    name:
      behaviour.refusesSfi === true ? 'refuses-fast-paths' : link === 'extended' ? 'extended' : 'short-link',
    description: `${behaviour.name} / ${link}`,
    linkExtended: link === 'extended',
    cardExtended: true,
    refusesFastPaths: behaviour.refusesSfi === true,
    maxApdus: undefined,
    maxWastedProbes: 0,
  };
}

/** The counted outcome of one call, from what the card saw. */
export function cellFromLog(counter: CountingCardEndpoint, outcome: string): CellResult {
  const log = counter.log;
  return {
    apdus: log.length,
    refused: log.filter((entry) => isRefusal(entry.sw)).length,
    outcome,
    log: describeLog(log).join('\n'),
  };
}

/** Runs one cell in process: fresh card, fresh connection. */
export async function runCell(
  behaviour: Behaviour,
  operation: Operation,
  link: Link,
  options: { readonly keyStore: TestKeyStore; readonly faceB: (profile: ProfileName) => string },
): Promise<CellResult> {
  const profile = behaviour.profile ?? 'plastic';
  const counter = createCountedCard(linkModeFor(behaviour, link), {
    keyStore: options.keyStore,
    ...cardOptionsFor(behaviour),
  });
  const provider = new SimulatorProvider({
    card: counter,
    extendedLength: link === 'extended',
    ...(behaviour.reader === undefined ? {} : { reader: behaviour.reader }),
  });
  const card = MyNumberCard.open(await provider.connect(provider.readerId));
  let outcome = 'ok';
  try {
    counter.reset();
    await runOperation(card, operation, options.faceB(profile));
  } catch (error) {
    if (!CardError.isInstance(error)) throw error;
    outcome = error.code;
  } finally {
    await card.close();
    await provider.close();
  }
  return cellFromLog(counter, outcome);
}

/** README markers of the generated matrix table. */
export const MATRIX_START = '<!-- quirk-matrix:start -->';
export const MATRIX_END = '<!-- quirk-matrix:end -->';

const SHORT_NAMES: Readonly<Record<Operation, string>> = {
  detect: 'detect',
  pinStatus: 'PIN status',
  check: 'check',
  authCert: 'auth cert',
  signCert: 'sign cert',
  signAuth: 'sign (auth)',
  signSign: 'sign (sign)',
  changePin: 'change PIN',
  textIntegrity: 'text AP + integrity',
  faceAp: 'face AP',
};

/**
 * The README table: APDUs per cell (refused answers in brackets, the SDK's error code when the card
 * cannot do the call), one row per behaviour and link.
 */
export function renderMatrix(
  budgets: Readonly<Record<string, Pick<CellResult, 'apdus' | 'refused' | 'outcome'>>>,
): string {
  const header = `| behaviour | link | ${OPERATIONS.map((operation) => SHORT_NAMES[operation]).join(' | ')} |`;
  const rule = `|---|---|${OPERATIONS.map(() => '--:').join('|')}|`;
  const rows: string[] = [];
  for (const behaviour of BEHAVIOURS) {
    for (const link of ['extended', 'short'] as const) {
      const cells = OPERATIONS.map((operation) => {
        const cell = budgets[`${behaviour.name}/${link}/${operation}`];
        if (cell === undefined) return '–';
        const refused = cell.refused === 0 ? '' : ` (${cell.refused})`;
        return cell.outcome === 'ok' ? `${cell.apdus}${refused}` : `${cell.apdus}${refused} ${cell.outcome}`;
      });
      rows.push(`| \`${behaviour.name}\` | ${link} | ${cells.join(' | ')} |`);
    }
  }
  const legend = BEHAVIOURS.map(
    (behaviour) => `- \`${behaviour.name}\`: ${behaviour.description} — ${behaviour.source}`,
  );
  return [
    ...matrixIntro(),
    '',
    header,
    rule,
    ...rows,
    '',
    ...legend,
    '',
    ...renderOpenscComparison(budgets),
  ].join('\n');
}

function matrixIntro(): string[] {
  return [
    'APDUs that reach the card per call on first contact (fresh card, fresh connection; the PIN each call',
    'needs is verified inside the cell), in process; in brackets the answers that refused what was asked',
    '(`6C xx`, `6A xx`, `67 00`, `69 84`); a code is the SDK’s typed refusal on a card that cannot do the',
    'call. Generated by `tools/perf` from `tools/perf/quirk-budgets.json`, the per-cell budgets',
    '`quirk-matrix.test.ts` asserts (`KAKUNIN_UPDATE_BUDGETS=1` rewrites both after review). Through',
    'pcscd + vpcd (~44 ms per APDU) a chosen subset of cells runs in `quirk-matrix-pcscd.test.ts` and must',
    'equal these counts.',
  ];
}

/** What the card log shows behind each OpenSC failure (README footnotes). */
const OPENSC_FAILURE_NOTES: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /signature does not verify/,
    'the card answered `80 2A` with `61 00`; OpenSC sent no GET RESPONSE and wrote zeros as the signature — a silent wrong answer',
  ],
  [
    /EF offset too large/,
    'the card refuses the auth certificate before the auth PIN; `pkcs15-tool --read-certificate` never presents it',
  ],
  [
    /Unsupported card|TOKEN_NOT_RECOGNIZED/,
    'while binding, OpenSC’s JPKI emulation selects the auth PIN (`0018`) and queries it; the card’s `69 84` (no PIN set — the modelled answer, an assumption) makes OpenSC drop the card, so not even the PIN-free certificate is read',
  ],
];

/** OpenSC's counterparts of kakunin's calls (quirk-matrix-opensc.ts; `check` = the last two). */
const OPENSC_COLUMNS: ReadonlyArray<readonly [Operation, readonly string[]]> = [
  ['pinStatus', ['pinStatus']],
  ['authCert', ['authCert']],
  ['signAuth', ['signAuth']],
  ['check', ['authCert', 'signAuth']],
];

type BudgetCell = Pick<CellResult, 'apdus' | 'refused' | 'outcome'>;

/** Sums OpenSC cells (a flow of several tool runs fails where its first failing run does). */
function openscFlow(
  budgets: Readonly<Record<string, BudgetCell>>,
  behaviour: string,
  operations: readonly string[],
): BudgetCell | undefined {
  const cells = operations.map((operation) => budgets[`opensc/${behaviour}/${operation}`]);
  if (cells.some((cell) => cell === undefined)) return undefined;
  const present = cells as BudgetCell[];
  return {
    apdus: present.reduce((sum, cell) => sum + cell.apdus, 0),
    refused: present.reduce((sum, cell) => sum + cell.refused, 0),
    outcome: present.find((cell) => cell.outcome !== 'ok')?.outcome ?? 'ok',
  };
}

/**
 * The README's kakunin-vs-OpenSC table: per behaviour vpcd can host, kakunin (extended / short
 * link, in process — the same counts pcscd + vpcd gives, asserted for chosen cells) against OpenSC
 * as shipped through pcscd + vpcd, and the ratio of APDUs (OpenSC ÷ kakunin short: OpenSC speaks
 * short APDUs only). Failures are footnoted in full.
 */
export function renderOpenscComparison(budgets: Readonly<Record<string, BudgetCell>>): string[] {
  const notes: string[] = [];
  const note = (text: string): string => {
    let index = notes.indexOf(text);
    if (index < 0) index = notes.push(text) - 1;
    return `✗${index + 1}`;
  };
  const rows: string[] = [];
  for (const behaviour of BEHAVIOURS) {
    const cells: string[] = [];
    let any = false;
    for (const [operation, openscOperations] of OPENSC_COLUMNS) {
      const extended = budgets[`${behaviour.name}/extended/${operation}`];
      const short = budgets[`${behaviour.name}/short/${operation}`];
      const opensc = openscFlow(budgets, behaviour.name, openscOperations);
      const kakunin =
        extended === undefined || short === undefined
          ? '–'
          : `${extended.apdus} / ${short.apdus}${short.outcome === 'ok' ? '' : ` ${short.outcome}`}`;
      if (opensc === undefined) {
        cells.push(kakunin, '–', '–');
        continue;
      }
      any = true;
      const refused = opensc.refused === 0 ? '' : ` (${opensc.refused})`;
      const failed = opensc.outcome === 'ok' ? '' : ` ${note(opensc.outcome)}`;
      const bothOk = opensc.outcome === 'ok' && short?.outcome === 'ok' && short.apdus > 0;
      cells.push(
        kakunin,
        `${opensc.apdus}${refused}${failed}`,
        bothOk ? `${(opensc.apdus / short.apdus).toFixed(1)}×` : '–',
      );
    }
    if (any) rows.push(`| \`${behaviour.name}\` | ${cells.join(' | ')} |`);
  }
  if (rows.length === 0) return [];
  const names = OPENSC_COLUMNS.map(([operation]) => SHORT_NAMES[operation]);
  return [
    '#### kakunin vs OpenSC',
    '',
    'Same card, same PIN, same 32-byte challenge, counted at the card on first contact. kakunin: APDUs on',
    'an extended / short link. OpenSC as shipped (Debian’s 0.23) through pcscd + vpcd, each tool in a',
    'fresh HOME (empty file cache): PIN status = `pkcs15-tool --list-pins`, auth cert =',
    '`pkcs15-tool --read-certificate 01`, sign (auth) = `pkcs11-tool --login --sign --id 01 -m',
    'SHA256-RSA-PKCS`, check = the last two. In brackets the answers that refused what was asked (for',
    'OpenSC mostly other drivers’ SELECTs while it looks for its driver); × = OpenSC ÷ kakunin short.',
    'OpenSC sends short APDUs only, so one OpenSC run stands for both links; `reader-no-ext` cannot be',
    'put in vpcd. ✗ = OpenSC failed or answered wrongly (footnotes); asserted in',
    '`quirk-matrix-opensc.test.ts` against the `opensc/…` budgets like every other cell.',
    '',
    `| behaviour | ${names.flatMap((name) => [`${name}: kakunin`, 'OpenSC', '×']).join(' | ')} |`,
    `|---|${names.flatMap(() => ['--:', '--:', '--:']).join('|')}|`,
    ...rows,
    '',
    ...notes.map((text, index) => {
      const why = OPENSC_FAILURE_NOTES.find(([pattern]) => pattern.test(text))?.[1];
      return `- ✗${index + 1}: \`${text}\`${why === undefined ? '' : ` — ${why}`}`;
    }),
  ];
}

/** Replaces the text between the matrix markers (or appends them under the Performance heading). */
export function replaceMatrix(readme: string, body: string): string {
  const start = readme.indexOf(MATRIX_START);
  const end = readme.indexOf(MATRIX_END);
  if (start < 0 || end < start)
    return `${readme.trimEnd()}\n\n### Quirk matrix\n\n${MATRIX_START}\n${body}\n${MATRIX_END}\n`;
  return `${readme.slice(0, start + MATRIX_START.length)}\n${body}\n${readme.slice(end)}`;
}
