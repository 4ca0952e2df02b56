/**
 * 顔認証マイナンバーカード (issue 14 Deliver 4): a card issued without a PIN goes straight to
 * face / visual confirmation — the PIN screen is never shown and no VERIFY is sent (the SDK's
 * PIN_NOT_SET guard); with visual confirmation switched off the check fails with that guidance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorDesk } from '../simulator/simulator-desk.js';
import { type ApiClient, settleCheck } from '../testing/api-client.js';
import { type DemoReception, startDemoReception } from '../testing/demo-reception.js';

describe('face-auth card in the reception check flow', () => {
  let reception: DemoReception;
  let desk: SimulatorDesk;
  let client: ApiClient;

  beforeAll(async () => {
    reception = await startDemoReception();
    ({ desk, client } = reception);
  });
  afterAll(async () => {
    await reception?.close();
  });

  it('visual confirmation off: fails before any PIN entry with the PIN_NOT_SET guidance', async () => {
    desk.insert('face-auth');
    const started = await client.post('/api/checks', { mode: 'pin' });
    const settled = await settleCheck(client, started.json.id);
    expect(settled.json.status).toBe('failed');
    expect(settled.json.guidance.code).toBe('PIN_NOT_SET');
    expect(settled.json.guidance.remedyKey).toBe('pin.not-set');
  });

  it('visual confirmation on: a PIN-mode start is routed to visual attestation, never to PIN entry', async () => {
    await client.request('PUT', '/api/settings', { visualCheckAllowed: true });
    desk.insert('face-auth');
    const started = await client.post('/api/checks', { mode: 'pin' });
    const settled = await settleCheck(client, started.json.id);
    expect(settled.json.status).toBe('visual-attest');
    expect(settled.json.mode).toBe('visual');
    expect(settled.json.pinStatus.pinNotSet).toBe(true);
    const pin = await client.post(`/api/checks/${started.json.id}/pin`, new TextEncoder().encode('1234'));
    expect(pin.status).toBe(409);
    const attested = await client.post(`/api/checks/${started.json.id}/visual`, { staffId: 'nurse-07' });
    expect(attested.json.visual.staffId).toBe('nurse-07');
  });
});
