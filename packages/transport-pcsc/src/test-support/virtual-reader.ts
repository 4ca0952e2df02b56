/**
 * Test support: a simulator card presented to the real pcscd through vpcd. The card runs in a
 * worker thread (tools/pcscd VirtualCardHost) so that it keeps answering pcscd while this
 * thread is inside a synchronous PC/SC call. The profile is rebuilt here (deterministic from
 * its seed, same cached keys) to know what the card must return.
 */
import {
  type CardProfile,
  createCardProfile,
  defaultKeyCacheDirectory,
  type ProfileName,
  TestKeyStore,
} from '@kakunin/simulator';
import {
  type SerializableFaultRule,
  VirtualCardHost,
  type VirtualCardStats,
} from '../../../../tools/pcscd/src/index.js';

const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
const profiles = new Map<ProfileName, CardProfile>();

/** A cached profile (deterministic keys and certificates from the simulator's test PKI). */
export function cardProfile(name: ProfileName = 'plastic'): CardProfile {
  let profile = profiles.get(name);
  if (profile === undefined) {
    profile = createCardProfile(name, { keyStore });
    profiles.set(name, profile);
  }
  return profile;
}

export interface VirtualReader {
  readonly readerName: string;
  readonly profile: CardProfile;
  readonly host: VirtualCardHost;
  insert(): Promise<void>;
  remove(): Promise<void>;
  stallNext(): Promise<void>;
  stats(): Promise<VirtualCardStats>;
  close(): Promise<void>;
}

/** Starts a simulator card of `profile` behind vpcd slot `slot` (not inserted yet). */
export async function virtualReader(
  options: {
    readonly profile?: ProfileName;
    readonly slot?: number;
    readonly faults?: readonly SerializableFaultRule[];
    /** Re-insert automatically after pcscd dropped the card (pcscd restart). */
    readonly reconnectIntervalMs?: number;
  } = {},
): Promise<VirtualReader> {
  const profile = cardProfile(options.profile ?? 'plastic');
  const host = await VirtualCardHost.start({
    profile: options.profile ?? 'plastic',
    slot: options.slot ?? 0,
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    ...(options.reconnectIntervalMs === undefined
      ? {}
      : { reconnectIntervalMs: options.reconnectIntervalMs }),
  });
  return {
    readerName: host.readerName,
    profile,
    host,
    insert: () => host.insert(),
    remove: () => host.remove(),
    stallNext: () => host.stallNext(),
    stats: () => host.stats(),
    close: () => host.close(),
  };
}
