/**
 * `kakunin bridge pair|relay`: a smartphone as the card reader (@kakunin/transport-nfc-bridge).
 *
 * - `pair` listens for phones, shows the QR code and pairing URL, and keeps running: it serves the
 *   paired phone on a local control socket so that any other `kakunin … --transport bridge`
 *   command (another terminal, same user) uses the phone as its reader. When the phone leaves, a
 *   new QR code appears. Ctrl-C stops it.
 * - `relay` is the phone side for developers: it pairs with a pairing URL and relays APDUs to a
 *   local reader (`--transport pcsc`) or the simulator (`--transport sim`).
 */
import { writeFile } from 'node:fs/promises';
import type { ReaderEvent } from '@kakunin/core/transport';
import { CardError } from '@kakunin/core/transport';
import { type CommandModule, EXIT, importOptional, UsageError, writeLine } from '../context.js';
import { createProvider } from '../transports.js';

function integerOption(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || number < min || number > max)
    throw new UsageError(`--${name} must be an integer ${min}..${max}`);
  return number;
}

/** Resolves when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

const command: CommandModule = {
  summary: 'スマートフォンをカードリーダーに / use a phone as the card reader (pair | relay)',
  usage:
    'kakunin bridge pair [--port N] [--host ADDR] [--advertise HOST] [--max-phones N] [--qr-png FILE] [--qr-svg FILE] [--json]\n' +
    '       kakunin bridge relay <pairing-url> [--transport sim|pcsc] [--reader NAME] [--device LABEL]',
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    advertise: { type: 'string' },
    'max-phones': { type: 'string' },
    'qr-png': { type: 'string' },
    'qr-svg': { type: 'string' },
    device: { type: 'string' },
  },
  async run(context) {
    const [action] = context.positionals;
    if (action === 'pair') return pair(context);
    if (action === 'relay') return relay(context);
    throw new UsageError('bridge needs a subcommand: pair | relay');
  },
};
export default command;

async function pair({ io, values, signal }: Parameters<CommandModule['run']>[0]): Promise<number> {
  const bridge = await importOptional(
    '@kakunin/transport-nfc-bridge',
    'kakunin bridge',
    () => import('@kakunin/transport-nfc-bridge'),
  );
  const json = values.json === true;
  const port = integerOption(values.port, 'port', 0, 65535, 0);
  const maxPhones = integerOption(values['max-phones'], 'max-phones', 1, 16, 1);
  const say = (text: string, event: Record<string, unknown>): void => {
    writeLine(json ? io.stdout : io.stderr, json ? JSON.stringify(event) : text);
  };
  const provider = await bridge.NfcBridgeProvider.listen({
    port,
    maxPhones,
    ...(typeof values.host === 'string' ? { host: values.host } : {}),
    ...(typeof values.advertise === 'string' ? { advertiseHost: values.advertise } : {}),
    onEvent: (event) => {
      if (event.type === 'paired')
        say(
          `ペアリングしました / paired: ${event.readerId} (${event.device ?? event.platform}) — 確認コード / code ${event.sas}`,
          { event: 'paired', readerId: event.readerId, platform: event.platform, sas: event.sas },
        );
      else if (event.type === 'session-closed')
        say(`切断 / disconnected: ${event.readerId} (${event.code} ${event.reason})`, {
          event: 'disconnected',
          ...event,
        });
      else say(`拒否 / rejected a connection: ${event.reason}`, { event: 'rejected', reason: event.reason });
    },
  });
  const endpoint = bridge.defaultControlEndpoint(io.env);
  let control: Awaited<ReturnType<typeof bridge.serveBridgeControl>> | undefined;
  try {
    control = await bridge.serveBridgeControl(provider, endpoint);
    say(`bridge: port ${provider.port}; other kakunin commands use it with --transport bridge`, {
      event: 'listening',
      port: provider.port,
      control: endpoint.path,
    });
    const stop = aborted(signal);
    while (!signal.aborted) {
      const readers = await provider.listReaders();
      if (readers.length >= maxPhones) {
        await Promise.race([untilReaderLeaves(provider, signal), stop]);
        continue;
      }
      const offer = provider.createPairing();
      if (!json) {
        writeLine(io.stdout, await bridge.renderPairingQr(offer.url, 'terminal'));
        writeLine(
          io.stdout,
          'スマートフォンのアプリでQRコードを読み取ってください / scan this QR code with the phone app',
        );
      }
      say(`pairing URL: ${offer.url}`, { event: 'pairing', url: offer.url, expiresAt: offer.expiresAt });
      if (typeof values['qr-png'] === 'string')
        await writeFile(values['qr-png'], await bridge.renderPairingQr(offer.url, 'png'), { mode: 0o600 });
      if (typeof values['qr-svg'] === 'string')
        await writeFile(values['qr-svg'], await bridge.renderPairingQr(offer.url, 'svg'), { mode: 0o600 });
      const outcome = await Promise.race([
        offer.paired.then(
          () => 'paired' as const,
          (error: unknown) => error,
        ),
        stop.then(() => 'stopped' as const),
      ]);
      if (outcome === 'stopped') {
        offer.cancel();
        break;
      }
      if (outcome !== 'paired') {
        if (CardError.isInstance(outcome, 'TIMEOUT')) {
          say(
            'QRコードの有効期限が切れました。新しいコードを表示します / the QR code expired; here is a new one',
            {
              event: 'expired',
            },
          );
          continue;
        }
        throw outcome;
      }
    }
    return EXIT.OK;
  } finally {
    await control?.close();
    await provider.close();
  }
}

async function untilReaderLeaves(
  provider: { watch(options: { signal: AbortSignal }): AsyncIterable<ReaderEvent> },
  signal: AbortSignal,
): Promise<void> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const event of provider.watch({ signal: controller.signal })) {
      if (event.type === 'reader-remove') return;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    controller.abort();
  }
}

async function relay({
  io,
  values,
  positionals,
  signal,
}: Parameters<CommandModule['run']>[0]): Promise<number> {
  const url = positionals[1];
  if (url === undefined)
    throw new UsageError('bridge relay needs the pairing URL shown by `kakunin bridge pair`');
  const kind = (values.transport ?? 'pcsc') as string;
  if (kind === 'bridge') throw new UsageError('bridge relay reads a local card: use --transport sim|pcsc');
  const { BridgeRelay } = await importOptional(
    '@kakunin/transport-nfc-bridge',
    'kakunin bridge relay',
    () => import('@kakunin/transport-nfc-bridge/relay'),
  );
  const local = await createProvider(values);
  try {
    const phone = await BridgeRelay.connect(url, {
      provider: local,
      signal,
      device: typeof values.device === 'string' ? values.device : `kakunin relay (${kind})`,
      ...(typeof values.reader === 'string' ? { readerId: values.reader } : {}),
      onEvent: (event) => {
        if (event.type === 'card-insert') writeLine(io.stderr, 'カードを検出 / card present');
        else if (event.type === 'card-remove') writeLine(io.stderr, 'カードが離れました / card removed');
        else if (event.type === 'error') writeLine(io.stderr, `reader: ${event.error.code}`);
      },
    });
    writeLine(io.stdout, `paired as ${phone.readerId}; 確認コード / code ${phone.sas}`);
    const outcome = await Promise.race([phone.closed, aborted(signal).then(() => undefined)]);
    await phone.close();
    if (outcome?.error !== undefined && !signal.aborted) throw outcome.error;
    return EXIT.OK;
  } finally {
    await local.close();
  }
}
