/**
 * Row 2, SDK side: two verify calls racing on one MyNumberCard never spend a try twice. The
 * second PIN operation on a card whose PIN operation is still in flight is refused (BUSY) before
 * it sends an APDU.
 */
import { MyNumberCard } from '@kakunin/core/jpki';
import { CardError } from '@kakunin/core/transport';
import type { SimulatorProvider } from '@kakunin/simulator';
import { describe, expect, it } from 'vitest';
import { plasticCardProvider } from './support/sdk.js';

async function openCard(): Promise<{ card: MyNumberCard; provider: SimulatorProvider }> {
  const provider = plasticCardProvider();
  const card = MyNumberCard.open(await provider.connect(provider.readerId));
  return { card, provider };
}

describe('row 2 (SDK): racing PIN operations on one card', () => {
  it('verifyPin × 2 at once: one VERIFY, the other BUSY, one try spent', async () => {
    const { card, provider } = await openCard();
    try {
      expect((await card.pinStatus('auth')).triesLeft).toBe(3);
      const outcomes = await Promise.allSettled([
        card.verifyPin('auth', '9999'),
        card.verifyPin('auth', '9999'),
      ]);
      const codes = outcomes.map((outcome) =>
        outcome.status === 'rejected' && CardError.isInstance(outcome.reason) ? outcome.reason.code : 'ok',
      );
      expect(codes.sort()).toEqual(['BUSY', 'PIN_INCORRECT']);
      expect((await card.pinStatus('auth')).triesLeft).toBe(2);
    } finally {
      await card.close();
      await provider.close();
    }
  });

  it('check() racing verifyPin(): one try spent', async () => {
    const { card, provider } = await openCard();
    try {
      const outcomes = await Promise.allSettled([
        card.check({ pin: '9999', challenge: new Uint8Array(32).fill(1) }),
        card.verifyPin('auth', '9999'),
        card.changePin('auth', '9999', '5678'),
      ]);
      const codes = outcomes.map((outcome) =>
        outcome.status === 'rejected' && CardError.isInstance(outcome.reason) ? outcome.reason.code : 'ok',
      );
      expect(codes.filter((code) => code === 'BUSY')).toHaveLength(2);
      expect((await card.pinStatus('auth')).triesLeft).toBe(2);
    } finally {
      await card.close();
      await provider.close();
    }
  });
});
