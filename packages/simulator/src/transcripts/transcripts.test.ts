import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MyNumberCard } from '@kakunin/core/jpki';
import { hexToBytes } from '@kakunin/core/transport';
import { afterAll, describe, expect, it } from 'vitest';
import { AID, JPKI_EF } from '../card/card-identifiers.js';
import { VirtualMyNumberCard } from '../card/virtual-my-number-card.js';
import { profile, selectAid, selectEf, verify } from '../test-support/fixtures.js';
import { SimulatorProvider } from '../transport/simulator-provider.js';
import { RecordingTransport } from './recording-transport.js';
import { ReplayTransport } from './replay-transport.js';
import {
  commandMatches,
  parseTranscript,
  redactCommand,
  serializeTranscript,
  type Transcript,
} from './transcript.js';
import { loadTranscript, saveTranscript } from './transcript-files.js';

const directory = mkdtempSync(join(tmpdir(), 'kakunin-transcripts-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const message = new TextEncoder().encode('transcript round trip');

async function recordCardFlow(): Promise<{
  transcript: Transcript;
  certificate: Uint8Array;
  signature: Uint8Array;
}> {
  const provider = new SimulatorProvider({ card: new VirtualMyNumberCard(profile().image) });
  const recorder = new RecordingTransport(await provider.connect(provider.readerId), {
    description: 'detect, read auth certificate, verify auth PIN, sign',
    now: () => new Date('2026-01-01T00:00:00Z'),
  });
  const card = MyNumberCard.open(recorder);
  await card.detect();
  const certificate = await card.readCertificate('auth');
  await card.verifyPin('auth', '1234');
  const signature = await card.sign('auth', message);
  await card.close();
  await provider.close();
  return { transcript: recorder.transcript(), certificate, signature };
}

describe('transcripts', () => {
  it('redactCommand keeps header and Lc of VERIFY / CHANGE REFERENCE DATA, never the data', () => {
    expect(redactCommand(hexToBytes('002000980431323334'))).toEqual({
      command: '0020009804',
      redactedLength: 4,
    });
    expect(redactCommand(hexToBytes('0024018004 35363738'.replace(' ', '')))).toEqual({
      command: '0024018004',
      redactedLength: 4,
    });
    expect(redactCommand(hexToBytes('00200098000004 31323334'.replace(' ', '')))).toEqual({
      command: '00200098000004',
      redactedLength: 4,
    });
    expect(redactCommand(hexToBytes('00200098'))).toEqual({ command: '00200098' });
    expect(redactCommand(hexToBytes('00A4020C020018'))).toEqual({ command: '00a4020c020018' });
    expect(
      commandMatches({ command: '0020009804', redactedLength: 4 }, hexToBytes('002000980439393939')),
    ).toBe(true);
    expect(
      commandMatches({ command: '0020009804', redactedLength: 4 }, hexToBytes('00200098053939393939')),
    ).toBe(false);
  });

  it('records a real SDK flow, writes JSON without the PIN, and replays it to the same results', async () => {
    const recorded = await recordCardFlow();
    const text = serializeTranscript(recorded.transcript);
    // The PIN "1234" (31 32 33 34) is in no VERIFY entry; VERIFY entries carry only header + Lc.
    const verifies = recorded.transcript.entries.filter(
      (entry) => entry.type === 'exchange' && entry.command.startsWith('0020'),
    );
    expect(verifies.length).toBeGreaterThanOrEqual(2);
    for (const entry of verifies) expect(entry.type === 'exchange' && entry.command.length <= 10).toBe(true);
    expect(text).not.toContain('0020009804313233');
    expect(recorded.transcript.entries.some((entry) => entry.type === 'reset' && entry.kind === 'cold')).toBe(
      true,
    );
    const path = join(directory, 'flow.json');
    await saveTranscript(path, recorded.transcript);
    expect(readFileSync(path, 'utf8')).toBe(text);
    const loaded = await loadTranscript(path);
    expect(loaded.recordedAt).toBe('2026-01-01T00:00:00.000Z');

    const replay = new ReplayTransport(loaded);
    const card = MyNumberCard.open(replay);
    expect((await card.detect()).kind).toBeDefined();
    expect(Buffer.from(await card.readCertificate('auth')).equals(Buffer.from(recorded.certificate))).toBe(
      true,
    );
    await card.verifyPin('auth', '5678'); // redacted: any 4-byte value replays the recorded answer
    expect(Buffer.from(await card.sign('auth', message)).equals(Buffer.from(recorded.signature))).toBe(true);
    await card.close();
    replay.assertComplete();
  });

  it('replay reports mismatches, exhaustion and leftovers with stable codes', async () => {
    const provider = new SimulatorProvider({ card: new VirtualMyNumberCard(profile().image) });
    const recorder = new RecordingTransport(await provider.connect(provider.readerId));
    await recorder.transmit(selectAid(AID.JPKI));
    await recorder.transmit(selectEf(JPKI_EF.AUTH_PIN));
    const transcript = recorder.transcript();
    const mismatch = new ReplayTransport(transcript);
    await expect(mismatch.transmit(selectAid(AID.TEXT))).rejects.toMatchObject({
      code: 'TRANSCRIPT_MISMATCH',
    });
    const leftovers = new ReplayTransport(transcript);
    await leftovers.transmit(selectAid(AID.JPKI));
    expect(() => leftovers.assertComplete()).toThrow(
      expect.objectContaining({ code: 'TRANSCRIPT_INCOMPLETE' }),
    );
    await leftovers.transmit(selectEf(JPKI_EF.AUTH_PIN));
    leftovers.assertComplete();
    await expect(leftovers.transmit(verify(undefined, 0x98))).rejects.toMatchObject({
      code: 'TRANSCRIPT_EXHAUSTED',
    });
    const resets = new ReplayTransport(transcript);
    await expect(resets.reset('cold')).rejects.toMatchObject({ code: 'TRANSCRIPT_MISMATCH' });
    await provider.close();
  });

  it('records removals as errors and replays them as CARD_REMOVED', async () => {
    const provider = new SimulatorProvider({ card: new VirtualMyNumberCard(profile().image) });
    const recorder = new RecordingTransport(await provider.connect(provider.readerId));
    await recorder.transmit(selectAid(AID.JPKI));
    provider.remove();
    await expect(recorder.transmit(selectAid(AID.JPKI))).rejects.toMatchObject({ code: 'CARD_REMOVED' });
    expect((await recorder.closed).reason).toBe('card-removed');
    const replay = new ReplayTransport(parseTranscript(serializeTranscript(recorder.transcript())));
    await replay.transmit(selectAid(AID.JPKI));
    await expect(replay.transmit(selectAid(AID.JPKI))).rejects.toMatchObject({ code: 'CARD_REMOVED' });
    expect((await replay.closed).reason).toBe('card-removed');
  });

  it('status-only recordings keep SWs and lengths, and refuse to invent data on replay', async () => {
    const provider = new SimulatorProvider({ card: new VirtualMyNumberCard(profile().image) });
    const recorder = new RecordingTransport(await provider.connect(provider.readerId), {
      responses: 'status-only',
    });
    await recorder.transmit(selectAid(AID.JPKI));
    await recorder.transmit(hexToBytes('00B0860020'));
    const transcript = recorder.transcript();
    expect(transcript.entries[1]).toMatchObject({ response: '9000', responseDataLength: 32 });
    const replay = new ReplayTransport(transcript);
    await replay.transmit(selectAid(AID.JPKI));
    await expect(replay.transmit(hexToBytes('00B0860020'))).rejects.toMatchObject({
      code: 'TRANSCRIPT_REDACTED',
    });
    await provider.close();
  });

  it('parseTranscript rejects malformed files with TRANSCRIPT_MALFORMED', () => {
    const base = { format: 'kakunin-apdu-transcript', version: 1, atr: '3b00', entries: [] };
    for (const bad of [
      'not json',
      '[]',
      JSON.stringify({ ...base, format: 'other' }),
      JSON.stringify({ ...base, version: 2 }),
      JSON.stringify({ ...base, atr: 'xyz' }),
      JSON.stringify({ ...base, entries: [{ type: 'exchange', command: '00a4', response: '9000' }] }),
      JSON.stringify({ ...base, entries: [{ type: 'exchange', command: '00a40000', response: '90' }] }),
      JSON.stringify({ ...base, entries: [{ type: 'reset', kind: 'hot', atr: '3b' }] }),
      JSON.stringify({ ...base, entries: [{ type: 'error', command: '00a40000', error: { code: 1 } }] }),
      JSON.stringify({
        ...base,
        entries: [{ type: 'exchange', command: '00a40000', response: '9000', redactedLength: -1 }],
      }),
      JSON.stringify({ ...base, entries: [{ type: 'other' }] }),
    ]) {
      expect(() => parseTranscript(bad), bad).toThrow(
        expect.objectContaining({ code: 'TRANSCRIPT_MALFORMED' }),
      );
    }
    expect(parseTranscript(JSON.stringify(base)).entries).toEqual([]);
  });
});
