/**
 * Issue 18 problem 6 and Deliver 6 over HTTP, through the real SDK and a virtual card:
 * - oral confirmation is refused by the server for a patient who is not the holder of the card the
 *   check read (typed error, Japanese guidance) — before this change only the browser enforced it;
 * - the 基本4情報 are read from the card-info AP only with consent and the patient's own PIN: the
 *   counter first, the last try refused unless confirmed, one request on a double press, a refused
 *   PIN not presented again, nothing of the PIN or the four kept on the server.
 */
import { randomFillSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSdkCardReaderFactory } from '../adapters/sdk-card-reader-factory.js';
import type { CardReaderFactory } from '../ports/card-reader.js';
import type { ReceptionServer } from '../server.js';
import type { DeskCard, SimulatorDesk } from '../simulator/simulator-desk.js';
import { type ApiClient, settleCheck } from '../testing/api-client.js';
import { type DemoReception, startDemoReception } from '../testing/demo-reception.js';
import { createHolderReadService } from './holder-read-service.js';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('fallbacks for the card holder only (server-enforced) and the basic four read with consent', () => {
  let demo: DemoReception;
  let desk: SimulatorDesk;
  let server: ReceptionServer;
  let client: ApiClient;

  /** A finished PIN check of `card` registered to stand-in person `personId`. */
  async function checkOf(card: DeskCard, personId: string): Promise<string> {
    desk.reset(card);
    server.services.standIn!.linkCertificate(personId, desk.authCertificate(card));
    desk.insert(card);
    const started = await client.post('/api/checks', { mode: 'pin' });
    expect((await settleCheck(client, started.json.id)).json.status).toBe('pin-entry');
    const done = await client.post(`/api/checks/${started.json.id}/pin`, ascii('1234'));
    expect(done.json.status).toBe('result');
    return started.json.id as string;
  }

  beforeAll(async () => {
    demo = await startDemoReception();
    ({ desk, server, client } = demo);
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('problem 6: oral confirmation of a patient who is not the card holder is refused with a typed error in Japanese', async () => {
    // the card holder is 試験　太郎 (valid-kokuho); 𠮷田　次郎 is another returning patient
    const checkId = await checkOf('plastic', 'valid-kokuho');
    const [other] = server.services.patients.search('𠮷田');
    const [holder] = server.services.patients.search('試験');
    expect(other?.name).toBe('𠮷田　次郎');
    expect(holder?.name).toBe('試験　太郎');
    const refused = await client.post('/api/fallbacks', {
      checkId,
      failureCategory: 3,
      evidence: 'oral-confirmation',
      data: { patientRecordId: other!.id, noChangeConfirmed: true },
    });
    expect(refused.status).toBe(422);
    expect(refused.json.error.code).toBe('NOT_THE_CARD_HOLDER');
    expect(refused.json.error.reason.ja).toContain('カードの持ち主');
    expect(refused.json.error.reason.ja).toContain('試験　太郎');
    expect(server.services.fallbacks.list({ checkId })).toHaveLength(0);
    // the holder's own record is accepted
    const accepted = await client.post('/api/fallbacks', {
      checkId,
      failureCategory: 3,
      evidence: 'oral-confirmation',
      data: { patientRecordId: holder!.id, noChangeConfirmed: true },
    });
    expect(accepted.status).toBe(201);
    expect(accepted.json.data.patientName).toBe('試験　太郎');
  });

  it('deliver 6: no basic-four read without consent; no card contact before it', async () => {
    const checkId = await checkOf('plastic', 'invalid');
    const refused = await client.post('/api/holder-reads', { checkId });
    expect(refused.status).toBe(422);
    expect(refused.json.error.code).toBe('CONSENT_REQUIRED');
    expect(refused.json.error.reason.ja).toContain('同意');
    expect((await client.post('/api/holder-reads', { checkId: 'chk-nope', consent: true })).status).toBe(404);
  });

  it('deliver 6: counter first, wrong PIN not repeated, last try refused unless confirmed, the four returned once and kept nowhere', async () => {
    const checkId = await checkOf('plastic', 'invalid');
    const started = await client.post('/api/holder-reads', { checkId, consent: true });
    expect(started.status).toBe(201);
    expect(started.json).toMatchObject({ status: 'pin-entry', triesLeft: 3 });
    const id = started.json.id as string;
    const pin = (value: string, headers: Record<string, string> = {}) =>
      client.post(`/api/holder-reads/${id}/pin`, ascii(value), headers);

    expect((await pin('12')).json).toMatchObject({ status: 'pin-entry', code: 'PIN_FORMAT', triesLeft: 3 });
    expect((await pin('9999')).json).toMatchObject({ code: 'PIN_INCORRECT', triesLeft: 2 });
    // the same refused PIN is not presented again: no try spent
    const again = await pin('9999');
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('PIN_ALREADY_TRIED');
    expect((await pin('9998')).json).toMatchObject({ code: 'PIN_INCORRECT', triesLeft: 1 });
    // the last try is not spent without confirmation, even with the right PIN
    const refused = await pin('1234');
    expect(refused.json).toMatchObject({ status: 'pin-entry', code: 'LAST_TRY_REFUSED', triesLeft: 1 });
    const read = await pin('1234', { 'x-kakunin-confirm-last-try': 'yes' });
    expect(read.json.status).toBe('read');
    expect(Object.keys(read.json.fields).sort()).toEqual(['address', 'birthdate', 'name', 'sex']);
    expect(read.json.fields.birthdate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(read.json.fields.address).not.toBe('');
    // handed out once: the read is gone from the server
    expect((await pin('1234')).status).toBe(404);
    // the audit log says a read happened with consent and each try's outcome, never the PIN or the four
    const events = server.services.audit
      .list({ limit: 50 })
      .filter((event) => event.action.startsWith('holder.'));
    expect(events.map((event) => event.action)).toContain('holder.consented');
    expect(events.map((event) => event.action)).toContain('holder.basic-four-read');
    const logged = JSON.stringify(events);
    expect(logged).not.toContain(read.json.fields.address);
    expect(logged).not.toContain(read.json.fields.name);
    expect(logged).not.toMatch(/"(1234|9999|9998|9997)"/);
  });

  it('deliver 6: a double press reaches the card once (the second PIN is refused busy while the first is at the card)', async () => {
    const checkId = await checkOf('plastic', 'invalid');
    const real = createSdkCardReaderFactory(desk.provider);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let presented = 0;
    // the real SDK reader, held at the card for as long as the test says
    const held: CardReaderFactory = {
      ...real,
      async open(readerId, options) {
        const reader = await real.open(readerId, options);
        return {
          ...reader,
          async readBasicFour(request) {
            presented += 1;
            await gate;
            return reader.readBasicFour!(request);
          },
        };
      },
    };
    const reads = createHolderReadService({
      readers: held,
      audit: server.services.audit,
      checkOf: (id) => server.services.checks.get(id),
      random: (bytes) => randomFillSync(bytes),
    });
    try {
      const started = await reads.start({ actor: 'demo', checkId, consent: true });
      const first = reads.submitPin(started.id, ascii('9998'), { confirmLastTry: false });
      await expect.poll(() => presented).toBe(1);
      const second = ascii('9997');
      await expect(reads.submitPin(started.id, second, { confirmLastTry: false })).rejects.toMatchObject({
        code: 'HOLDER_READ_BUSY',
      });
      expect([...second]).toEqual([0, 0, 0, 0]);
      release();
      expect(await first).toMatchObject({ code: 'PIN_INCORRECT', triesLeft: 2 });
      expect(presented).toBe(1);
    } finally {
      release();
      await reads.close();
    }
  });

  it('deliver 6: a blocked card-info PIN is said at once, without a PIN screen', async () => {
    const checkId = await checkOf('plastic', 'invalid');
    for (const value of ['9991', '9992']) {
      const read = await client.post('/api/holder-reads', { checkId, consent: true });
      await client.post(`/api/holder-reads/${read.json.id}/pin`, ascii(value));
      await client.post(`/api/holder-reads/${read.json.id}/cancel`);
    }
    const last = await client.post('/api/holder-reads', { checkId, consent: true });
    expect(last.json.triesLeft).toBe(1);
    await client.post(`/api/holder-reads/${last.json.id}/pin`, ascii('9993'), {
      'x-kakunin-confirm-last-try': 'yes',
    });
    const blocked = await client.post('/api/holder-reads', { checkId, consent: true });
    expect(blocked.json).toMatchObject({ status: 'failed', code: 'PIN_BLOCKED', triesLeft: 0 });
  });
});
