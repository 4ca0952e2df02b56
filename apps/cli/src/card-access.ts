/**
 * Opens the card named by the common options: provider from --transport, reader from --reader
 * (or the first reader with a card), a MyNumberCard with an optional JSON-lines APDU trace on
 * stderr (PIN data is redacted by the session).
 */
import { MyNumberCard } from '@kakunin/core/jpki';
import { CardError, type TransportProvider } from '@kakunin/core/transport';
import type { CommandContext } from './context.js';
import { createProvider } from './transports.js';

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
): Promise<string> {
  const readers = await provider.listReaders({ signal });
  if (wanted !== undefined) {
    const match =
      readers.find((reader) => reader.id === wanted || reader.label === wanted) ??
      readers.find((reader) => reader.label.includes(wanted));
    if (match === undefined)
      throw new CardError('READER_NOT_FOUND', `reader "${wanted}" not found`, {
        remedy: 'reader.not-selected',
      });
    return match.id;
  }
  if (readers.length === 0)
    throw new CardError('NO_READERS', 'no card reader is connected', { remedy: 'reader.usb-cable' });
  const withCard = readers.find((reader) => reader.cardPresent);
  if (withCard === undefined)
    throw new CardError('CARD_ABSENT', 'no card on any reader', { remedy: 'card.absent' });
  return withCard.id;
}

export async function openCard(context: CommandContext): Promise<OpenedCard> {
  const { values, signal, io } = context;
  const provider = await createProvider(values);
  try {
    const readerId = await chooseReader(provider, values.reader as string | undefined, signal);
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
