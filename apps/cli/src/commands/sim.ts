/**
 * `kakunin sim [--profile NAME] [--slot 0|1]`: puts the simulator's virtual My Number card into a
 * real pcscd through vsmartcard's vpcd driver (TCP 35963 + slot), so that any PC/SC application
 * (kakunin --transport pcsc, OpenSC, JPKI tools) sees it in "Virtual PCD 00 0<slot>". Runs until
 * SIGINT/SIGTERM; re-inserts the card if pcscd restarts.
 */
import { type CommandModule, UsageError, writeLine } from '../context.js';
import { simulatorCard } from '../simulator-card.js';

/** Re-insert interval after pcscd dropped the card (pcscd restart), ms. */
const RECONNECT_INTERVAL_MS = 1000;

const command: CommandModule = {
  summary: '仮想マイナンバーカードをカードリーダー(vpcd)に挿入 / present the virtual card in PC/SC via vpcd',
  usage: 'kakunin sim [--profile plastic|android|child|expired|blocked|damaged] [--slot 0|1] [--json]',
  options: {
    profile: { type: 'string' },
    slot: { type: 'string' },
  },
  optionHelp: {
    '--profile NAME': 'the virtual card: plastic|android|child|expired|blocked|damaged',
    '--slot 0|1': 'vpcd slot (reader "Virtual PCD 00 0<slot>")',
  },
  examples: ['kakunin sim', 'kakunin sim --profile blocked --slot 1 --json'],
  async run({ io, values, signal }) {
    const { profile, create } = await simulatorCard(values);
    const slotText = (values.slot ?? '0') as string;
    if (slotText !== '0' && slotText !== '1') throw new UsageError(`--slot must be 0 or 1, got ${slotText}`);
    const slot = Number(slotText);

    const { VpcdConnector } = await import('@kakunin/simulator/vpcd');
    const card = create();
    const connector = new VpcdConnector({
      card,
      slot,
      reconnectIntervalMs: RECONNECT_INTERVAL_MS,
      onEvent: (event) => {
        if (event.type === 'disconnected' && event.reason !== 'removed') {
          writeLine(
            io.stderr,
            'pcscd との接続が切れました。再接続を待ちます / pcscd went away; waiting to re-insert',
          );
        } else if (event.type === 'connected') {
          writeLine(io.stderr, 'vpcd に接続しました / connected to vpcd');
        }
      },
    });
    try {
      await connector.insert({ signal });
      const atr = Array.from(card.atr, (byte) => byte.toString(16).padStart(2, '0'))
        .join(' ')
        .toUpperCase();
      if (values.json === true) {
        writeLine(io.stdout, JSON.stringify({ reader: connector.readerName, profile, slot, atr }));
      } else {
        writeLine(io.stdout, `リーダー / reader: ${connector.readerName}`);
        writeLine(io.stdout, `プロファイル / profile: ${profile}  ATR ${atr}`);
        writeLine(io.stdout, '終了するには Ctrl+C / press Ctrl+C to remove the card and stop');
      }
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGTERM', stop);
          signal.removeEventListener('abort', stop);
          resolve();
        };
        if (signal.aborted) stop();
        signal.addEventListener('abort', stop, { once: true });
        process.once('SIGTERM', stop);
      });
      return 0;
    } finally {
      await connector.close();
    }
  },
};
export default command;
