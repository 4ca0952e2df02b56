import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { ScriptedTransport, type ScriptStep } from '../test-support/scripted-transport.js';
import { CardError } from '../transport/card-error.js';
import { bytesToHex } from '../transport/hex.js';
import { buildDigestInfo } from './digest-info.js';
import { MyNumberCard } from './mynumber-card.js';

// Transcripts of the PIN-mode check (issue 10): exact APDUs, counted.
const SELECT_JPKI = '00A4040C0AD392F000260100000001';
const CERTIFICATE = `308205DC${'AB'.repeat(0x5dc)}`; // 1504-byte certificate-shaped object
const SIGNATURE = 'CD'.repeat(256);
const challenge = new Uint8Array(32).fill(7);
const signCommand = `802A009733${bytesToHex(buildDigestInfo(sha256(challenge))).toUpperCase()}00`;

const extended = { extendedLength: true, maxCommandLength: 65_544, maxResponseLength: 65_538 };

function shortChunks(): ScriptStep[] {
  const total = CERTIFICATE.length / 2;
  const steps: ScriptStep[] = [{ expect: '00B08A0000', respond: `${CERTIFICATE.slice(0, 512)}9000` }];
  for (let offset = 256; offset < total; offset += 256) {
    const le = Math.min(256, total - offset);
    const p1p2 = offset.toString(16).toUpperCase().padStart(4, '0');
    steps.push({
      expect: `00B0${p1p2}${(le === 256 ? 0 : le).toString(16).toUpperCase().padStart(2, '0')}`,
      respond: `${CERTIFICATE.slice(offset * 2, (offset + le) * 2)}9000`,
    });
  }
  return steps;
}

describe('MyNumberCard.check (PIN mode)', () => {
  it('takes exactly 5 APDUs on an extended-capable link', async () => {
    const transport = new ScriptedTransport(
      [
        { expect: SELECT_JPKI, respond: '9000' },
        { expect: '00200098', respond: '63C3' },
        { expect: '002000980431323334', respond: '9000' },
        { expect: signCommand, respond: `${SIGNATURE}9000` },
        { expect: '00B08A00000000', respond: `${CERTIFICATE}FFFF9000` },
      ],
      extended,
    );
    const card = MyNumberCard.open(transport);
    const result = await card.check({ pin: '1234', challenge });
    expect(result.apduCount).toBe(5);
    expect(bytesToHex(result.certificate).toUpperCase()).toBe(CERTIFICATE);
    expect(result.signature.length).toBe(256);
    expect(result.triesLeftBefore).toBe(3);
    expect(transport.remaining).toBe(0);
  });

  it('takes at most 11 APDUs on a short-only link (exact-length chunks sized from the header)', async () => {
    const transport = new ScriptedTransport([
      { expect: SELECT_JPKI, respond: '9000' },
      { expect: '00200098', respond: '63C3' },
      { expect: '002000980431323334', respond: '9000' },
      { expect: signCommand, respond: `${SIGNATURE}9000` },
      ...shortChunks(),
    ]);
    const result = await MyNumberCard.open(transport).check({ pin: '1234', challenge });
    expect(result.apduCount).toBe(4 + Math.ceil(0x5e0 / 256));
    expect(result.apduCount).toBeLessThanOrEqual(11);
    expect(bytesToHex(result.certificate).toUpperCase()).toBe(CERTIFICATE);
  });

  it('wastes at most 2 probes on a card that refuses SFI and extended length, and remembers', async () => {
    const transport = new ScriptedTransport(
      [
        { expect: SELECT_JPKI, respond: '9000' },
        { expect: '00200098', respond: '6A86' }, // SFI refused (probe 1)
        { expect: '00A4020C020018', respond: '9000' },
        { expect: '00200080', respond: '63C3' },
        { expect: '002000800431323334', respond: '9000' },
        { expect: '00A4020C020017', respond: '9000' },
        { expect: signCommand.replace('802A0097', '802A0080'), respond: `${SIGNATURE}9000` },
        { expect: '00A4020C02000A', respond: '9000' },
        { expect: '00B00000000000', respond: '6700' }, // extended refused (probe 2)
        { expect: '00B0000000', respond: `${CERTIFICATE.slice(0, 512)}9000` },
        ...shortChunks().slice(1),
        // A later read goes straight to the slow-but-working path: no probe again.
        { expect: '00A4020C02000B', respond: '9000' },
        { expect: '00B0000000', respond: '3003010203' + '9000' },
      ],
      extended,
    );
    const card = MyNumberCard.open(transport);
    const result = await card.check({ pin: '1234', challenge });
    expect(bytesToHex(result.certificate).toUpperCase()).toBe(CERTIFICATE);
    expect(card.linkFacts).toEqual({ sfi: false, extendedRead: false });
    expect(bytesToHex(await card.readCertificate('authCA'))).toBe('3003010203');
    expect(transport.remaining).toBe(0);
    const probes = transport.sent.filter((hex) => hex === '00200098' || hex === '00B00000000000');
    expect(probes).toHaveLength(2);
  });

  it('refuses the last try without sending VERIFY', async () => {
    const transport = new ScriptedTransport([
      { expect: SELECT_JPKI, respond: '9000' },
      { expect: '00200098', respond: '63C1' },
    ]);
    await expect(MyNumberCard.open(transport).check({ pin: '1234', challenge })).rejects.toMatchObject({
      code: 'LAST_TRY_REFUSED',
      remedy: 'pin.last-try',
    });
    expect(transport.sent.some((hex) => hex.startsWith('0020009804'))).toBe(false);
  });

  it('spends the last try only with allowLastTry', async () => {
    const transport = new ScriptedTransport([
      { expect: SELECT_JPKI, respond: '9000' },
      { expect: '00200098', respond: '63C1' },
      { expect: '002000980431323335', respond: '63C0' },
    ]);
    await expect(
      MyNumberCard.open(transport).check({ pin: '1235', challenge, allowLastTry: true }),
    ).rejects.toMatchObject({ code: 'PIN_BLOCKED', remedy: 'pin.blocked' });
  });

  it('reports a wrong PIN with tries left and never retries', async () => {
    const transport = new ScriptedTransport([
      { expect: SELECT_JPKI, respond: '9000' },
      { expect: '00200098', respond: '63C3' },
      { expect: '002000980439393939', respond: '63C2' },
    ]);
    let caught: unknown;
    try {
      await MyNumberCard.open(transport).check({ pin: '9999', challenge });
    } catch (error) {
      caught = error;
    }
    expect(CardError.isInstance(caught, 'PIN_INCORRECT')).toBe(true);
    expect((caught as CardError).details.triesLeft).toBe(2);
    expect((caught as CardError).message).not.toContain('9999');
    expect(transport.sent.filter((hex) => hex.startsWith('002000980439'))).toHaveLength(1);
  });

  it('refuses without VERIFY: 63C0 on the query = blocked, 6984 = no usable PIN (face-auth card)', async () => {
    for (const [sw, code] of [
      ['63C0', 'PIN_BLOCKED'],
      ['6984', 'PIN_NOT_SET'],
    ] as const) {
      const transport = new ScriptedTransport([
        { expect: SELECT_JPKI, respond: '9000' },
        { expect: '00200098', respond: sw },
      ]);
      await expect(MyNumberCard.open(transport).check({ pin: '1234', challenge })).rejects.toMatchObject({
        code,
      });
      expect(transport.sent).toHaveLength(2);
    }
  });

  it('rejects a badly formatted PIN before touching the card', async () => {
    const transport = new ScriptedTransport([]);
    for (const pin of ['123', '12345', '12a4', '１２３４']) {
      await expect(MyNumberCard.open(transport).check({ pin, challenge })).rejects.toMatchObject({
        code: 'PIN_FORMAT',
      });
    }
    expect(transport.sent).toHaveLength(0);
  });

  it('zeroes a Uint8Array PIN after use', async () => {
    const transport = new ScriptedTransport(
      [
        { expect: SELECT_JPKI, respond: '9000' },
        { expect: '00200098', respond: '63C3' },
        { expect: '002000980431323334', respond: '9000' },
        { expect: signCommand, respond: `${SIGNATURE}9000` },
        { expect: '00B08A00000000', respond: `${CERTIFICATE}9000` },
      ],
      extended,
    );
    const pin = new TextEncoder().encode('1234');
    await MyNumberCard.open(transport).check({ pin, challenge });
    expect(Array.from(pin)).toEqual([0, 0, 0, 0]);
  });

  it('maps a card without the JPKI AP to NOT_A_MYNUMBER_CARD', async () => {
    const transport = new ScriptedTransport([{ expect: SELECT_JPKI, respond: '6A82' }]);
    await expect(MyNumberCard.open(transport).detect()).rejects.toMatchObject({
      code: 'NOT_A_MYNUMBER_CARD',
      remedy: 'card.not-mynumber',
    });
  });
});

describe('MyNumberCard other paths', () => {
  it('detects the card kind from the token label, not the ATR', async () => {
    const label = bytesToHex(new TextEncoder().encode('JPKIAPGPSETOKEN'.padEnd(32, ' '))).toUpperCase();
    const transport = new ScriptedTransport([
      { expect: SELECT_JPKI, respond: '9000' },
      { expect: '00B0860020', respond: `${label}9000` },
    ]);
    expect(await MyNumberCard.open(transport).detect()).toEqual({
      kind: 'android',
      tokenLabel: 'JPKIAPGPSETOKEN',
      hasSignCertificate: true,
    });
  });

  it('reports pin status without spending a try, upper-cases the sign password', async () => {
    const transport = new ScriptedTransport([
      { expect: SELECT_JPKI, respond: '9000' },
      { expect: '0020009B', respond: '63C5' },
      { expect: '0020009B', respond: '63C5' },
      {
        expect: `0020009B08${bytesToHex(new TextEncoder().encode('KAKUNIN1')).toUpperCase()}`,
        respond: '9000',
      },
    ]);
    const card = MyNumberCard.open(transport);
    expect(await card.pinStatus('sign')).toEqual({ triesLeft: 5, blocked: false, maxTries: 5 });
    await card.verifyPin('sign', 'kakunin1');
    expect(transport.remaining).toBe(0);
  });

  it('reading the sign certificate without the password is SECURITY_STATUS_NOT_SATISFIED', async () => {
    const transport = new ScriptedTransport([
      { expect: SELECT_JPKI, respond: '9000' },
      { expect: '00B0810000', respond: '6982' },
    ]);
    await expect(MyNumberCard.open(transport).readCertificate('sign')).rejects.toMatchObject({
      code: 'SECURITY_STATUS_NOT_SATISFIED',
    });
  });
});

describe('MyNumberCard: what is public', () => {
  it('has no public session or mutable knowledge; linkFacts is a frozen copy', async () => {
    const transport = new ScriptedTransport([
      { expect: SELECT_JPKI, respond: '9000' },
      { expect: '00200098', respond: '63C3' },
    ]);
    const card = MyNumberCard.open(transport);
    expect('session' in card).toBe(false);
    expect('knowledge' in card).toBe(false);
    await card.pinStatus('auth');
    const facts = card.linkFacts;
    expect(facts.sfi).toBe(true);
    expect(Object.isFrozen(facts)).toBe(true);
    expect(() => {
      (facts as { sfi: boolean | undefined }).sfi = false;
    }).toThrow(TypeError);
    expect(card.linkFacts.sfi).toBe(true);
  });
});
