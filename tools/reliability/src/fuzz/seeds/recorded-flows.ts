/**
 * "Recorded responses": every card flow the SDK has (detection, certificate reads, PIN counters,
 * the PIN-mode check, card-info and card-face reads, signing) run once against the simulator's
 * virtual My Number cards over an extended and a short link, with every command and response
 * captured. They seed the APDU, BER-TLV and card-session fuzzers.
 *
 * @example
 * ```ts
 * const flows = await recordedFlows();
 * flows[0].responses.length; // e.g. 5 for the PIN-mode check
 * ```
 */
import { MyNumberCard } from '@kakunin/core/jpki';
import {
  createCardProfile,
  type ProfileName,
  SimulatorProvider,
  VirtualMyNumberCard,
} from '@kakunin/simulator';
import { CapturingTransport } from '../../support/capturing-transport.js';
import { testKeyStore } from '../../support/key-store.js';

/** Flows the card-session fuzzer can replay (index = first input byte modulo the count). */
export const FLOW_NAMES = [
  'check',
  'read-auth-certificate',
  'detect',
  'pin-status',
  'read-basic-four',
  'read-card-face',
  'sign',
] as const;
export type FlowName = (typeof FLOW_NAMES)[number];

export interface RecordedFlow {
  readonly flow: FlowName;
  readonly profile: ProfileName;
  readonly extendedLength: boolean;
  readonly commands: readonly Uint8Array[];
  readonly responses: readonly Uint8Array[];
}

/** The PIN-mode challenge every recorded and replayed check signs. */
export const RECORDED_CHALLENGE = new Uint8Array(32).fill(0x5a);

/** Runs one flow on a fresh card; the card's credentials come from its profile. */
export async function runFlow(
  card: MyNumberCard,
  flow: FlowName,
  credentials: {
    authPin: string;
    signPassword: string | null;
    cardInfoPin: string;
    verificationNumberA: string;
  },
): Promise<void> {
  switch (flow) {
    case 'check':
      await card.check({ pin: credentials.authPin, challenge: RECORDED_CHALLENGE });
      return;
    case 'read-auth-certificate':
      await card.readCertificate('auth');
      return;
    case 'detect':
      await card.detect();
      await card.readCertificate('signCA');
      return;
    case 'pin-status':
      await card.pinStatus('auth');
      await card.pinStatus('sign');
      await card.pinStatus('text');
      return;
    case 'read-basic-four':
      await card.verifyPin('text', credentials.cardInfoPin);
      await card.readBasicFour();
      await card.readMyNumber();
      return;
    case 'read-card-face':
      await card.verifyPin('faceA', credentials.verificationNumberA);
      await card.readCardFace();
      return;
    case 'sign':
      if (credentials.signPassword === null) return;
      await card.verifyPin('sign', credentials.signPassword);
      await card.sign('sign', RECORDED_CHALLENGE, { verify: true });
      return;
  }
}

let cached: Promise<RecordedFlow[]> | undefined;

async function record(): Promise<RecordedFlow[]> {
  const keyStore = testKeyStore();
  const flows: RecordedFlow[] = [];
  for (const profileName of ['plastic', 'android', 'child'] as const) {
    const profile = createCardProfile(profileName, { keyStore });
    for (const extendedLength of [true, false]) {
      for (const flow of FLOW_NAMES) {
        if (profileName !== 'plastic' && (flow === 'read-basic-four' || flow === 'read-card-face')) continue;
        const provider = new SimulatorProvider({
          card: new VirtualMyNumberCard(profile.image),
          extendedLength,
        });
        const capturing = new CapturingTransport(await provider.connect(provider.readerId));
        const card = MyNumberCard.open(capturing);
        try {
          await runFlow(card, flow, profile.credentials);
        } catch {
          // Profiles without a capability (android has no card-info AP) still give useful bytes.
        } finally {
          await card.close();
          await provider.close();
        }
        flows.push({
          flow,
          profile: profileName,
          extendedLength,
          commands: capturing.exchanges.map((exchange) => exchange.command.slice()),
          responses: capturing.exchanges.flatMap((exchange) =>
            exchange.response === undefined ? [] : [exchange.response],
          ),
        });
      }
    }
  }
  return flows;
}

/** Every recorded flow (recorded once per process). */
export function recordedFlows(): Promise<RecordedFlow[]> {
  cached ??= record();
  return cached;
}

/** Every distinct recorded command APDU. */
export async function recordedCommands(): Promise<Uint8Array[]> {
  return distinct((await recordedFlows()).flatMap((flow) => flow.commands));
}

/** Every distinct recorded response APDU (data ‖ SW). */
export async function recordedResponses(): Promise<Uint8Array[]> {
  return distinct((await recordedFlows()).flatMap((flow) => flow.responses));
}

function distinct(list: readonly Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  for (const bytes of list) {
    const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(bytes);
  }
  return out;
}
