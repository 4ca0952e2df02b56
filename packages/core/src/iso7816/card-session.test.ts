import { describe, expect, it } from 'vitest';
import { ScriptedTransport } from '../test-support/scripted-transport.js';
import { CardError } from '../transport/card-error.js';
import { hexToBytes } from '../transport/hex.js';
import { CardSession } from './card-session.js';
import type { TraceEvent } from './trace.js';

const JPKI_AID = hexToBytes('D392F000260100000001');

describe('CardSession', () => {
  it('follows 61xx with GET RESPONSE and joins the data', async () => {
    const transport = new ScriptedTransport([
      { expect: '00B0000000', respond: 'AABB6103' },
      { expect: '00C0000003', respond: 'CCDDEE6102' },
      { expect: '00C0000002', respond: 'FF019000' },
    ]);
    const session = new CardSession(transport);
    const response = await session.transmit({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 });
    expect(response.sw).toBe(0x9000);
    expect(Array.from(response.data)).toEqual([0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01]);
    expect(transport.remaining).toBe(0);
  });

  it("sends GET RESPONSE in the interindustry class, whatever the command's class (CLA 80 sign answered 61 00)", async () => {
    // ISO 7816-4 §5.4.1 / §11.5.3: GET RESPONSE is an interindustry command; a T=0-style card
    // refuses 80 C0 with 6D 00.
    const signature = '5A'.repeat(256);
    const transport = new ScriptedTransport([
      { expect: `802A009714${'11'.repeat(20)}00`, respond: '6100' },
      { expect: '00C0000000', respond: `${signature}9000` },
    ]);
    const response = await new CardSession(transport).transmit({
      cla: 0x80,
      ins: 0x2a,
      p1: 0,
      p2: 0x97,
      data: new Uint8Array(20).fill(0x11),
      le: 256,
    });
    expect(transport.sent[1]).toBe('00C0000000');
    expect(response.sw).toBe(0x9000);
    expect(response.data.length).toBe(256);
  });

  it('GET RESPONSE keeps only the logical-channel and secure-messaging bits of the class', async () => {
    const transport = new ScriptedTransport([
      { respond: 'AA6101' },
      { expect: '0BC0000001', respond: 'BB9000' },
      { respond: 'CC6101' },
      { expect: '01C0000001', respond: 'DD9000' },
    ]);
    const session = new CardSession(transport);
    await session.transmit({ cla: 0x0b, ins: 0xca, p1: 0, p2: 0x45, le: 256 });
    const response = await session.transmit({ cla: 0x81, ins: 0xca, p1: 0, p2: 0x45, le: 256 });
    expect(Array.from(response.data)).toEqual([0xcc, 0xdd]);
    expect(transport.remaining).toBe(0);
  });

  it('a reader that refuses an extended APDU (SCardTransmit 0x80100016): short APDUs from then on', async () => {
    const events: TraceEvent[] = [];
    const transport = new ScriptedTransport(
      [
        { expect: '00A4040C0AD392F000260100000001', respond: '9000' },
        {
          expect: '00B08A00000000',
          respond: () => {
            throw new CardError('IO', 'SCardTransmit error: Transaction failed.(0x80100016)');
          },
        },
        { expect: '00B08A0000', respond: `${'11'.repeat(256)}9000` },
        { expect: '00B0010000', respond: `${'22'.repeat(256)}9000` },
      ],
      { extendedLength: true, maxCommandLength: 65_544, maxResponseLength: 65_538 },
    );
    const session = new CardSession(transport, { trace: (event) => events.push(event) });
    await session.send({ cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: JPKI_AID });
    const first = await session.transmit({ cla: 0, ins: 0xb0, p1: 0x8a, p2: 0, le: 65_536 });
    expect(first.data.length).toBe(256);
    expect(session.extendedLength).toBe(false);
    // The selection survived (the card never saw the refused APDU) and later commands are short.
    expect(session.selection.df).toBe('D392F000260100000001');
    await session.transmit({ cla: 0, ins: 0xb0, p1: 1, p2: 0, le: 1000 });
    expect(transport.remaining).toBe(0);
    expect(events.some((event) => event.type === 'session' && event.event === 'extended-refused')).toBe(true);
  });

  it('never re-sends a VERIFY after a transport failure, extended or not', async () => {
    const transport = new ScriptedTransport(
      [
        {
          respond: () => {
            throw new CardError('IO', 'SCardTransmit error: Transaction failed.(0x80100016)');
          },
        },
      ],
      { extendedLength: true, maxCommandLength: 65_544, maxResponseLength: 65_538 },
    );
    const session = new CardSession(transport);
    await expect(
      session.transmit({ cla: 0, ins: 0x20, p1: 0, p2: 0x98, data: new Uint8Array(300).fill(0x31) }),
    ).rejects.toMatchObject({ code: 'IO' });
    expect(transport.sent).toHaveLength(1);
  });

  it('GET RESPONSE with SW2=00 asks for 256', async () => {
    const transport = new ScriptedTransport([
      { expect: '00B0000010', respond: '6100' },
      { expect: '00C0000000', respond: `${'11'.repeat(256)}9000` },
    ]);
    const response = await new CardSession(transport).transmit({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 16 });
    expect(response.data.length).toBe(256);
  });

  it('re-issues once with the exact Le on 6Cxx', async () => {
    const transport = new ScriptedTransport([
      { expect: '00B0000000', respond: '6C11' },
      { expect: '00B0000011', respond: `${'00'.repeat(17)}9000` },
    ]);
    const response = await new CardSession(transport).transmit({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 });
    expect(response.sw).toBe(0x9000);
    expect(response.data.length).toBe(17);
  });

  it('stops a runaway 61xx card with RESPONSE_TOO_LARGE', async () => {
    const steps = [
      { respond: '6100' },
      ...Array.from({ length: 400 }, () => ({ respond: `${'00'.repeat(256)}6100` })),
    ];
    const session = new CardSession(new ScriptedTransport(steps), { maxResponseBytes: 4096 });
    await expect(session.transmit({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 })).rejects.toMatchObject({
      code: 'RESPONSE_TOO_LARGE',
    });
  });

  it('chains commands whose data exceeds a short-only link (CLA | 0x10)', async () => {
    const payload = new Uint8Array(600).fill(0x5a);
    const transport = new ScriptedTransport([
      { expect: `102A0080FF${'5A'.repeat(255)}`, respond: '9000' },
      { expect: `102A0080FF${'5A'.repeat(255)}`, respond: '9000' },
      { expect: `002A00805A${'5A'.repeat(90)}00`, respond: '01029000' },
    ]);
    const response = await new CardSession(transport).transmit({
      cla: 0,
      ins: 0x2a,
      p1: 0,
      p2: 0x80,
      data: payload,
      le: 256,
    });
    expect(Array.from(response.data)).toEqual([1, 2]);
    expect(transport.remaining).toBe(0);
  });

  it('stops chaining at the first non-9000 link', async () => {
    const transport = new ScriptedTransport([{ respond: '6A80' }, { respond: '9000' }]);
    const response = await new CardSession(transport).transmit({
      cla: 0,
      ins: 0x2a,
      p1: 0,
      p2: 0x80,
      data: new Uint8Array(300),
    });
    expect(response.sw).toBe(0x6a80);
    expect(transport.remaining).toBe(1);
  });

  it('uses one extended APDU when the link supports it', async () => {
    const transport = new ScriptedTransport(
      [{ expect: '00B00000000700', respond: `${'00'.repeat(1792)}9000` }],
      {
        extendedLength: true,
        maxCommandLength: 65_544,
        maxResponseLength: 65_538,
      },
    );
    const response = await new CardSession(transport).transmit({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1792 });
    expect(response.data.length).toBe(1792);
  });

  it('caps Le at 256 on short-only links', async () => {
    const transport = new ScriptedTransport([{ expect: '00B0000000', respond: '9000' }]);
    await new CardSession(transport).transmit({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1792 });
    expect(transport.remaining).toBe(0);
  });

  it('serialises concurrent callers: one command in flight, in order', async () => {
    const order: string[] = [];
    const transport = new ScriptedTransport([
      {
        respond: (command) => {
          order.push(`A${command[3]}`);
          return hexToBytes('9000');
        },
        delayMs: 20,
      },
      {
        respond: (command) => {
          order.push(`B${command[3]}`);
          return hexToBytes('9000');
        },
      },
      {
        respond: (command) => {
          order.push(`C${command[3]}`);
          return hexToBytes('9000');
        },
      },
    ]);
    const session = new CardSession(transport);
    await Promise.all([1, 2, 3].map((p2) => session.transmit({ cla: 0, ins: 0xb0, p1: 0, p2, le: 1 })));
    expect(order).toEqual(['A1', 'B2', 'C3']);
  });

  it('aborts a queued call without sending it, and the next call still works', async () => {
    const transport = new ScriptedTransport([
      { respond: '9000', delayMs: 50 },
      { expect: '00B0000301', respond: '019000' },
    ]);
    const session = new CardSession(transport);
    const controller = new AbortController();
    const first = session.transmit({ cla: 0, ins: 0xb0, p1: 0, p2: 1, le: 1 });
    const second = session.transmit(
      { cla: 0, ins: 0xb0, p1: 0, p2: 2, le: 1 },
      { signal: controller.signal },
    );
    controller.abort();
    await expect(second).rejects.toMatchObject({ code: 'ABORTED' });
    await first;
    const third = await session.transmit({ cla: 0, ins: 0xb0, p1: 0, p2: 3, le: 1 });
    expect(third.data[0]).toBe(1);
    expect(transport.sent).toHaveLength(2);
  });

  it('aborting mid-transmit releases the caller at once', async () => {
    const transport = new ScriptedTransport([{ respond: '9000', delayMs: 200 }]);
    const session = new CardSession(transport);
    const controller = new AbortController();
    const started = Date.now();
    const pending = session.transmit(
      { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1 },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    expect(Date.now() - started).toBeLessThan(150);
  });

  it('times out with TIMEOUT', async () => {
    const transport = new ScriptedTransport([{ respond: '9000', delayMs: 200 }]);
    await expect(
      new CardSession(transport).transmit({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1 }, { timeoutMs: 20 }),
    ).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('a concurrent raw transmit on the transport is BUSY', async () => {
    const transport = new ScriptedTransport([{ respond: '9000', delayMs: 30 }, { respond: '9000' }]);
    const first = transport.transmit(hexToBytes('00B0000001'));
    await expect(transport.transmit(hexToBytes('00B0000001'))).rejects.toMatchObject({ code: 'BUSY' });
    await first;
  });

  it('tracks the selected DF and EF and forgets on failure', async () => {
    const transport = new ScriptedTransport([{ respond: '9000' }, { respond: '9000' }, { respond: '6A82' }]);
    const session = new CardSession(transport);
    await session.transmit({ cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: JPKI_AID });
    expect(session.selection).toEqual({ df: 'D392F000260100000001', ef: undefined });
    await session.transmit({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: hexToBytes('000A') });
    expect(session.selection.ef).toBe('000A');
    await session.transmit({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: hexToBytes('0099') });
    expect(session.selection).toEqual({ df: undefined, ef: undefined });
  });

  it('redacts VERIFY data in traces and zeroes the encoded PIN', async () => {
    const events: TraceEvent[] = [];
    let seen: Uint8Array | undefined;
    const transport = new ScriptedTransport([
      {
        respond: (command) => {
          seen = command;
          return hexToBytes('9000');
        },
      },
    ]);
    const session = new CardSession(transport, { trace: (event) => events.push(event) });
    await session.transmit({ cla: 0, ins: 0x20, p1: 0, p2: 0x80, data: new TextEncoder().encode('1234') });
    const text = JSON.stringify(events);
    expect(text).not.toContain('31323334');
    expect(text).not.toContain('1234');
    expect(events[0]).toMatchObject({
      type: 'apdu',
      header: '00200080',
      redacted: true,
      dataLength: 4,
      sw: '9000',
    });
    expect(Array.from(seen ?? [])).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(session.securityStateSet).toBe(true);
  });

  it('unpowers the card on close after a VERIFY', async () => {
    const resets: string[] = [];
    const transport = new ScriptedTransport([{ respond: '9000' }]);
    Object.assign(transport, {
      reset: async (kind: string) => {
        resets.push(kind);
        return transport.atr;
      },
    });
    const session = new CardSession(transport);
    await session.transmit({ cla: 0, ins: 0x20, p1: 0, p2: 0x80, data: hexToBytes('31323334') });
    await session.close();
    expect(resets).toEqual(['cold']);
    expect((await transport.closed).reason).toBe('closed');
  });

  it('does not unpower when no PIN was verified', async () => {
    const resets: string[] = [];
    const transport = new ScriptedTransport([{ respond: '63C3' }]);
    Object.assign(transport, {
      reset: async (kind: string) => {
        resets.push(kind);
        return transport.atr;
      },
    });
    const session = new CardSession(transport);
    await session.transmit({ cla: 0, ins: 0x20, p1: 0, p2: 0x80 });
    await session.close();
    expect(resets).toEqual([]);
  });

  it('card removal mid-transmit surfaces CARD_REMOVED, then CLOSED-state errors', async () => {
    const transport = new ScriptedTransport([{ respond: '9000', delayMs: 100 }]);
    const session = new CardSession(transport);
    const pending = session.transmit({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1 });
    setTimeout(() => transport.pull(), 10);
    const info = await transport.closed;
    expect(info.reason).toBe('card-removed');
    await pending.catch(() => undefined);
    await expect(session.transmit({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1 })).rejects.toSatisfy((error) =>
      CardError.isInstance(error, 'CARD_REMOVED'),
    );
  });

  it('send() throws a StatusWordError carrying sw and ins', async () => {
    const session = new CardSession(new ScriptedTransport([{ respond: '6982' }]));
    await expect(session.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1 })).rejects.toMatchObject({
      code: 'SECURITY_STATUS_NOT_SATISFIED',
      sw: 0x6982,
      ins: 0xb0,
    });
  });

  it('a throwing trace hook does not break I/O', async () => {
    const session = new CardSession(new ScriptedTransport([{ respond: '9000' }]), {
      trace: () => {
        throw new Error('hook');
      },
    });
    await expect(session.transmit({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1 })).resolves.toMatchObject({
      sw: 0x9000,
    });
  });
});

describe('CardSession: observers and the short-Le limit', () => {
  it('observe() sees the same events as the trace option and stops when removed', async () => {
    const transport = new ScriptedTransport([
      { expect: '00B0000010', respond: `${'11'.repeat(16)}9000` },
      { expect: '00B0001010', respond: `${'22'.repeat(16)}9000` },
    ]);
    const traced: TraceEvent[] = [];
    const observed: TraceEvent[] = [];
    const session = new CardSession(transport, { trace: (event) => traced.push(event) });
    const stop = session.observe((event) => observed.push(event));
    await session.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 16 });
    stop();
    await session.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0x10, le: 16 });
    expect(observed).toEqual(traced.slice(0, 1));
    expect(traced).toHaveLength(2);
  });

  it('after limitShortLe() no short Le = 00 leaves: Le 256 → FF, 61 00 → GET RESPONSE FF', async () => {
    const transport = new ScriptedTransport([
      { expect: '00B00000FF', respond: `${'AA'.repeat(255)}6100` },
      { expect: '00C00000FF', respond: `${'BB'.repeat(10)}9000` },
    ]);
    const session = new CardSession(transport);
    expect(session.shortMaxLe).toBe(256);
    session.limitShortLe();
    expect(session.shortMaxLe).toBe(255);
    const data = await session.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 });
    expect(data.length).toBe(265);
    expect(transport.remaining).toBe(0);
  });

  it('extendedLe encodes Le = 256 in the extended form on an extended-capable link', async () => {
    const transport = new ScriptedTransport([{ expect: '802A009A000002AAAA0100', respond: '9000' }], {
      extendedLength: true,
      maxCommandLength: 65_544,
      maxResponseLength: 65_538,
    });
    const session = new CardSession(transport);
    await session.send(
      { cla: 0x80, ins: 0x2a, p1: 0, p2: 0x9a, data: Uint8Array.of(0xaa, 0xaa), le: 256 },
      { extendedLe: true },
    );
    expect(transport.remaining).toBe(0);
  });
});
