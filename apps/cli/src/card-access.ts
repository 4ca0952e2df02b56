/**
 * Opens the card named by the common options: provider from --transport, reader from --reader
 * (or the first reader with a card), a MyNumberCard with an optional JSON-lines APDU trace on
 * stderr (PIN data is redacted by the session).
 */
import { MyNumberCard } from '@kakunin/core/jpki';
import { CardError, type RemedyKey, type TransportProvider } from '@kakunin/core/transport';
import { type CommandContext, type OptionValue, UsageError } from './context.js';
import { createProvider } from './transports.js';

/** How often `--wait` looks for a card, ms. */
const WAIT_POLL_MS = 250;
const DEFAULT_WAIT_SECONDS = 60;

/**
 * The remedy that fits the transport in use: no reader on PC/SC is a cable or driver question, on
 * Bluetooth a pairing/power question, and on the phone bridge a "pair a phone" question.
 */
export function remedyFor(kind: string, situation: 'no-readers' | 'no-card'): RemedyKey {
  if (situation === 'no-readers') {
    if (kind === 'bridge') return 'bridge.pairing';
    if (kind === 'ble') return 'ble.reader-not-found';
    return 'reader.usb-cable';
  }
  if (kind === 'bridge') return 'nfc.card-position';
  return 'card.absent';
}

function messageFor(kind: string, situation: 'no-readers' | 'no-card'): string {
  if (situation === 'no-readers')
    return kind === 'bridge'
      ? 'no phone is paired (start `kakunin bridge pair` and scan the QR code with the phone)'
      : kind === 'ble'
        ? 'no Bluetooth card reader found'
        : 'no card reader is connected';
  return kind === 'bridge' ? 'no card on the paired phone' : 'no card on any reader';
}

/** `--wait-timeout SECONDS` (default 60) when `--wait` is given, else undefined. */
export function waitTimeoutMs(values: Readonly<Record<string, OptionValue>>): number | undefined {
  if (values.wait !== true) {
    if (values['wait-timeout'] !== undefined) throw new UsageError('--wait-timeout needs --wait');
    return undefined;
  }
  const text = values['wait-timeout'];
  if (text === undefined) return DEFAULT_WAIT_SECONDS * 1000;
  if (typeof text !== 'string' || !/^\d+(\.\d+)?$/.test(text) || Number(text) <= 0 || Number(text) > 86_400)
    throw new UsageError('--wait-timeout must be a number of seconds (0 < SECONDS ≤ 86400)');
  return Number(text) * 1000;
}

export interface OpenedCard {
  readonly card: MyNumberCard;
  readonly provider: TransportProvider;
  readonly readerId: string;
  close(): Promise<void>;
}

export async function chooseReader(
  provider: TransportProvider,
  wanted: string | undefined,
  signal: AbortSignal,
  waitMs?: number,
  onWaiting?: () => void,
): Promise<string> {
  if (waitMs === undefined) return pickReader(provider, await provider.listReaders({ signal }), wanted);
  // --wait: look again until a card is there, the timeout passes, or Ctrl-C aborts.
  const deadline = Date.now() + waitMs;
  let announced = false;
  for (;;) {
    signal.throwIfAborted();
    try {
      return pickReader(provider, await provider.listReaders({ signal }), wanted, true);
    } catch (error) {
      const waitable =
        CardError.isInstance(error, 'CARD_ABSENT') ||
        CardError.isInstance(error, 'NO_READERS') ||
        (wanted !== undefined && CardError.isInstance(error, 'READER_NOT_FOUND'));
      if (!waitable || Date.now() >= deadline) throw error;
      if (!announced) onWaiting?.();
      announced = true;
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, WAIT_POLL_MS);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function pickReader(
  provider: TransportProvider,
  readers: Awaited<ReturnType<TransportProvider['listReaders']>>,
  wanted: string | undefined,
  requireCard = false,
): string {
  if (wanted !== undefined) {
    const match =
      readers.find((reader) => reader.id === wanted || reader.label === wanted) ??
      readers.find((reader) => reader.label.includes(wanted));
    if (match === undefined)
      throw new CardError('READER_NOT_FOUND', `reader "${wanted}" not found`, {
        remedy: 'reader.not-selected',
      });
    if (requireCard && !match.cardPresent)
      throw new CardError('CARD_ABSENT', `no card on ${match.label}`, {
        remedy: remedyFor(provider.kind, 'no-card'),
      });
    return match.id;
  }
  if (readers.length === 0)
    throw new CardError('NO_READERS', messageFor(provider.kind, 'no-readers'), {
      remedy: remedyFor(provider.kind, 'no-readers'),
    });
  const withCard = readers.find((reader) => reader.cardPresent);
  if (withCard === undefined)
    throw new CardError('CARD_ABSENT', messageFor(provider.kind, 'no-card'), {
      remedy: remedyFor(provider.kind, 'no-card'),
    });
  return withCard.id;
}

export async function openCard(context: CommandContext): Promise<OpenedCard> {
  const { values, signal, io } = context;
  const provider = await createProvider(values);
  try {
    const readerId = await chooseReader(
      provider,
      values.reader as string | undefined,
      signal,
      waitTimeoutMs(values),
      () => io.stderr.write('カードをかざしてください… / waiting for a card… (Ctrl-C to stop)\n'),
    );
    const transport = await provider.connect(readerId, { signal, share: 'exclusive' });
    const card = MyNumberCard.open(
      transport,
      values.trace === true ? { trace: (event) => io.stderr.write(`${JSON.stringify(event)}\n`) } : {},
    );
    return {
      card,
      provider,
      readerId,
      async close() {
        try {
          await card.close();
        } finally {
          await provider.close();
        }
      },
    };
  } catch (error) {
    await provider.close();
    throw error;
  }
}

/** Opens, runs, always closes (unpowering the card when a PIN was verified). */
export async function withCard<T>(
  context: CommandContext,
  body: (opened: OpenedCard) => Promise<T>,
): Promise<T> {
  const opened = await openCard(context);
  try {
    return await body(opened);
  } finally {
    await opened.close();
  }
}
