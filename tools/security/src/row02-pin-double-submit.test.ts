/**
 * Row 2: the same PIN posted twice at once to the check. Before: 2 VERIFYs, 2 of 3 tries spent.
 * Must be: one check in flight per desk/card, the second submit refused (409, typed) before it
 * reaches the card.
 */
import { describe, expect, it } from 'vitest';
import { settle, useReception } from './support/reception.js';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('row 2: one PIN check in flight per desk/card', () => {
  const app = useReception();

  const triesLeft = async (): Promise<number> => {
    const started = await app().client.post('/api/checks', { mode: 'pin' });
    const settled = await settle(app().client, started.json.id);
    await app().client.post(`/api/checks/${started.json.id}/cancel`);
    return (settled.pinStatus as { triesLeft: number }).triesLeft;
  };

  it('spends at most one try when the same wrong PIN is posted twice at once (×20 rounds)', async () => {
    for (let round = 0; round < 20; round += 1) {
      app().desk.reset('plastic');
      app().desk.insert('plastic');
      const started = await app().client.post('/api/checks', { mode: 'pin' });
      const ready = await settle(app().client, started.json.id);
      expect(ready.status).toBe('pin-entry');
      const [first, second] = await Promise.all([
        app().client.post(`/api/checks/${started.json.id}/pin`, ascii('9999')),
        app().client.post(`/api/checks/${started.json.id}/pin`, ascii('9999')),
      ]);
      const statuses = [first.status, second.status].sort();
      expect(statuses).toEqual([200, 409]);
      const refused = first.status === 409 ? first : second;
      // In flight → CHECK_BUSY; already answered by the card → PIN_ALREADY_TRIED. Never the card.
      expect(['CHECK_BUSY', 'PIN_ALREADY_TRIED']).toContain(refused.json.error.code);
      expect(await triesLeft()).toBe(2);
    }
  });

  it('refuses a second check on the same reader while a PIN is being verified (no cancel-and-retry path)', async () => {
    app().desk.reset('plastic');
    app().desk.insert('plastic');
    const started = await app().client.post('/api/checks', { mode: 'pin' });
    await settle(app().client, started.json.id);
    const [submitted, second] = await Promise.all([
      app().client.post(`/api/checks/${started.json.id}/pin`, ascii('9999')),
      app().client.post('/api/checks', { mode: 'pin' }),
    ]);
    expect(submitted.status).toBe(200);
    if (second.status === 201) {
      // Accepted only after the first check finished its VERIFY: it may not spend a try itself.
      const settled = await settle(app().client, second.json.id);
      expect((settled.pinStatus as { triesLeft: number }).triesLeft).toBe(2);
      await app().client.post(`/api/checks/${second.json.id}/cancel`);
    } else {
      expect(second.status).toBe(409);
      expect(second.json.error.code).toBe('READER_BUSY');
    }
    expect(await triesLeft()).toBe(2);
  });
});
