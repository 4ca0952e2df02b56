import { bench, describe } from 'vitest';
import { hexToBytes } from '../transport/hex.js';
import { TlvCursor } from './ber-tlv.js';
import { decodeCommand, encodeCommand } from './command-apdu.js';
import { parseResponse } from './response-apdu.js';

const aid = hexToBytes('D392F000260100000001');
const selectBytes = encodeCommand({ cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: aid });
const response = new Uint8Array(258);
response[256] = 0x90;

// A basic-four file shaped like the card's (jpki-card.md §4): FF20 { DF21 offsets, DF22..DF25 }.
const name = new TextEncoder().encode('髙橋 𠮷子');
const address = new TextEncoder().encode('東京都千代田区霞が関二丁目１番２号');
const inner = [
  0xdf,
  0x21,
  0x08,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0xdf,
  0x22,
  name.length,
  ...name,
  0xdf,
  0x23,
  address.length,
  ...address,
  0xdf,
  0x24,
  0x08,
  ...new TextEncoder().encode('19800217'),
  0xdf,
  0x25,
  0x01,
  0x32,
];
const basicFour = new Uint8Array([0xff, 0x20, inner.length, ...inner, 0xff, 0xff, 0xff]);

describe('APDU codec', () => {
  bench('encodeCommand SELECT (case 3 short)', () => {
    encodeCommand({ cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: aid });
  });
  bench('encodeCommand READ BINARY extended Le', () => {
    encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 65536 });
  });
  bench('decodeCommand SELECT', () => {
    decodeCommand(selectBytes);
  });
  bench('parseResponse 258 bytes', () => {
    parseResponse(response);
  });
});

describe('BER-TLV', () => {
  bench('walk basic-four file (FF20 + 5 children)', () => {
    const outer = new TlvCursor(basicFour, 0, basicFour.length, { filler: true });
    outer.next();
    const children = outer.children();
    let total = 0;
    while (children.next()) total += children.length;
    if (total === 0) throw new Error('unreachable');
  });
});
