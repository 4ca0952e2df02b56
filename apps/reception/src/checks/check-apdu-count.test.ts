/**
 * APDUs per reception check, counted at the card (issue 16 §3): the app relies on the SDK's
 * last-try rule inside `check()` and no longer reads the counter again before it, so presenting
 * the PIN costs exactly the check's own 4 APDUs (counter, VERIFY, sign, certificate) — one fewer
 * than before — through the real HTTP path, the SDK adapter and the in-process card.
 */
import type { VirtualCardEndpoint } from '@kakunin/simulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createInProcessCardPresenter } from '../simulator/card-presenter.js';
import { createSimulatorDesk, type SimulatorDesk } from '../simulator/simulator-desk.js';
import { type ApiClient, settleCheck } from '../testing/api-client.js';
import { type DemoReception, startDemoReception } from '../testing/demo-reception.js';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Every command that reaches the card, as CLA INS P1 P2 hex (never its data: a VERIFY carries a PIN). */
const seen: string[] = [];

function counted(card: VirtualCardEndpoint): VirtualCardEndpoint {
  return {
    get atr() {
      return card.atr;
    },
    powerOn: () => card.powerOn(),
    powerOff: () => card.powerOff(),
    warmReset: () => card.warmReset(),
    process(command) {
      seen.push(Buffer.from(command.subarray(0, 4)).toString('hex').toUpperCase());
      return card.process(command);
    },
  };
}

describe('reception check: APDUs at the card', () => {
  let reception: DemoReception;
  let desk: SimulatorDesk;
  let client: ApiClient;

  beforeAll(async () => {
    const wrappers = new Map<VirtualCardEndpoint, VirtualCardEndpoint>();
    const inProcess = createInProcessCardPresenter();
    reception = await startDemoReception({
      desk: createSimulatorDesk({
        presenter: (context) =>
          inProcess({
            seed: context.seed,
            keyCacheDirectory: context.keyCacheDirectory,
            cardOf(name) {
              const card = context.cardOf(name);
              let wrapper = wrappers.get(card);
              if (wrapper === undefined) {
                wrapper = counted(card);
                wrappers.set(card, wrapper);
              }
              return wrapper;
            },
          }),
      }),
    });
    ({ desk, client } = reception);
  });
  afterAll(async () => {
    await reception?.close();
  });
  beforeEach(() => {
    desk.reset('plastic');
    desk.insert('plastic');
    seen.length = 0;
  });

  it('a right PIN costs the check’s own 4 APDUs: counter, VERIFY, sign, certificate (8 for the whole check)', async () => {
    const started = await client.post('/api/checks', { mode: 'pin' });
    const ready = await settleCheck(client, started.json.id);
    expect(ready.json.status).toBe('pin-entry');
    expect(ready.json.pinStatus).toEqual({ triesLeft: 3, blocked: false });
    // detect (SELECT, token, availability) + the counter shown on the PIN screen
    expect(seen).toEqual(['00A4040C', '00B08600', '00B08800', '00200098']);
    seen.length = 0;
    const right = await client.post(`/api/checks/${started.json.id}/pin`, ascii('1234'));
    expect(right.json.status).toBe('result');
    expect(seen).toEqual(['00200098', '00200098', '802A0097', '00B08A00']);
  });

  it('the last try is refused by the SDK’s own rule (LAST_TRY_REFUSED, shown with 1 try left), with no VERIFY', async () => {
    const started = await client.post('/api/checks', { mode: 'pin' });
    await settleCheck(client, started.json.id);
    await client.post(`/api/checks/${started.json.id}/pin`, ascii('0000'));
    const second = await client.post(`/api/checks/${started.json.id}/pin`, ascii('0001'));
    expect(second.json.pinStatus.triesLeft).toBe(1);
    seen.length = 0;
    const refused = await client.post(`/api/checks/${started.json.id}/pin`, ascii('0002'));
    expect(refused.json.status).toBe('pin-entry');
    expect(refused.json.guidance.code).toBe('LAST_TRY_REFUSED');
    expect(refused.json.pinStatus).toEqual({ triesLeft: 1, blocked: false });
    // Only the SDK's counter query: no second read by the app, and no VERIFY with data.
    expect(seen).toEqual(['00200098']);
  });
});
