import { bytesToHex } from '@kakunin/core/transport';
import { type CommandModule, writeLine } from '../context.js';
import { withProvider } from '../transports.js';

/** The transport of a reader listed by `--transport any` (CombinedReaderInfo.kind). */
function kindOf(reader: object): string | undefined {
  return 'kind' in reader && typeof reader.kind === 'string' ? reader.kind : undefined;
}

/** `kakunin readers [--json]`: lists readers and card presence. */
const command: CommandModule = {
  summary: 'カードリーダー一覧 / list card readers and card presence',
  usage: 'kakunin readers [--json] [--transport pcsc|sim|ble|bridge|ble-sim|bridge-sim|any]',
  options: {},
  examples: ['kakunin readers', 'kakunin readers --transport ble --json', 'kakunin readers --transport any'],
  async run({ io, values, signal }) {
    return withProvider(values, signal, async (provider) => {
      const readers = await provider.listReaders({ signal });
      if (values.json === true) {
        const json = readers.map((reader) => ({
          id: reader.id,
          ...(kindOf(reader) === undefined ? {} : { kind: kindOf(reader) }),
          label: reader.label,
          cardPresent: reader.cardPresent,
          ...(reader.atr === undefined ? {} : { atr: bytesToHex(reader.atr).toUpperCase() }),
        }));
        writeLine(io.stdout, JSON.stringify({ transport: provider.kind, readers: json }));
        return 0;
      }
      if (readers.length === 0) writeLine(io.stdout, 'カードリーダーが見つかりません / no readers found');
      for (const reader of readers) {
        const card = reader.cardPresent
          ? `カードあり / card present${reader.atr === undefined ? '' : ` ATR ${bytesToHex(reader.atr, ' ').toUpperCase()}`}`
          : 'カードなし / no card';
        const kind = kindOf(reader);
        writeLine(io.stdout, `${kind === undefined ? '' : `[${kind}] `}${reader.label}\t${card}`);
      }
      return 0;
    });
  },
};
export default command;
