/**
 * Shared fixtures for the simulator's own tests: one key store backed by a cache directory under
 * os.tmpdir() (so parallel test files generate each key once per machine), card helpers and a
 * tiny APDU client.
 */
import { decodeCommand, encodeCommand } from '@kakunin/core/iso7816';
import { hexToBytes } from '@kakunin/core/transport';
import { AID } from '../card/card-identifiers.js';
import { VirtualMyNumberCard } from '../card/virtual-my-number-card.js';
import type { VirtualCardEndpoint } from '../card-endpoint.js';
import { defaultKeyCacheDirectory, TestKeyStore } from '../pki/test-key-store.js';
import {
  type CardProfile,
  type CardProfileOptions,
  createCardProfile,
  type ProfileName,
} from '../profiles/card-profile.js';

export const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });

const profiles = new Map<string, CardProfile>();

/** A cached profile per name (profiles are immutable; cards built from them are independent). */
export function profile(
  name: ProfileName = 'plastic',
  options: Omit<CardProfileOptions, 'keyStore'> = {},
): CardProfile {
  const key = `${name}:${JSON.stringify(options)}`;
  let value = profiles.get(key);
  if (value === undefined) {
    value = createCardProfile(name, { ...options, keyStore });
    profiles.set(key, value);
  }
  return value;
}

/** A fresh powered card of `name`. */
export function poweredCard(
  name: ProfileName = 'plastic',
  options: Omit<CardProfileOptions, 'keyStore'> = {},
) {
  const card = new VirtualMyNumberCard(profile(name, options).image);
  card.powerOn();
  return card;
}

export interface Answer {
  readonly data: Uint8Array;
  readonly sw: number;
}

/** Sends hex or bytes, splits data and SW. */
export async function send(card: VirtualCardEndpoint, command: string | Uint8Array): Promise<Answer> {
  const bytes = typeof command === 'string' ? hexToBytes(command) : command;
  const response = await card.process(bytes);
  const sw = (response[response.length - 2]! << 8) | response[response.length - 1]!;
  return { data: response.subarray(0, response.length - 2), sw };
}

export function apdu(
  cla: number,
  ins: number,
  p1: number,
  p2: number,
  data?: Uint8Array,
  le?: number,
  extended?: boolean,
) {
  return encodeCommand(
    { cla, ins, p1, p2, ...(data === undefined ? {} : { data }), ...(le === undefined ? {} : { le }) },
    { extended: extended ?? 'auto' },
  );
}

export const selectAid = (aid: Uint8Array) => apdu(0x00, 0xa4, 0x04, 0x0c, aid);
export const selectEf = (fid: number) => apdu(0x00, 0xa4, 0x02, 0x0c, Uint8Array.of(fid >> 8, fid & 0xff));
export const verify = (pin: string | undefined, p2 = 0x80) =>
  apdu(0x00, 0x20, 0x00, p2, pin === undefined ? undefined : new TextEncoder().encode(pin));
export const readBinary = (offset: number, le: number, extended?: boolean) =>
  apdu(0x00, 0xb0, (offset >> 8) & 0x7f, offset & 0xff, undefined, le, extended);

/** Reads a whole transparent EF in 256-byte chunks until 62 82 / 6B 00. */
export async function readWhole(
  card: VirtualCardEndpoint,
  fid: number,
): Promise<{ bytes: Uint8Array; sw: number }> {
  const select = await send(card, selectEf(fid));
  if (select.sw !== 0x9000) return { bytes: new Uint8Array(0), sw: select.sw };
  const parts: number[] = [];
  for (let offset = 0; ; offset += 256) {
    const answer = await send(card, readBinary(offset, 256));
    if (answer.sw === 0x6b00) break;
    if (answer.sw !== 0x9000 && answer.sw !== 0x6282) return { bytes: Uint8Array.from(parts), sw: answer.sw };
    parts.push(...answer.data);
    if (answer.sw === 0x6282) break;
  }
  return { bytes: Uint8Array.from(parts), sw: 0x9000 };
}

export { AID, decodeCommand };

/** Value of `inner` inside the value of the first `outer` TLV of a card file (filler tolerated). */
export function innerValue(file: Uint8Array, outer: number, inner: number): Uint8Array | undefined {
  const { findTlv } = tlv;
  const outerValue = findTlv(file, outer);
  return outerValue === undefined ? undefined : findTlv(outerValue, inner);
}

import * as tlv from '@kakunin/core/iso7816';
