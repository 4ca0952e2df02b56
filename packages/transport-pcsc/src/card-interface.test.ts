import { hexToBytes } from '@kakunin/core/transport';
import { describe, expect, it } from 'vitest';
import { cardInterfaceFromAtr } from './card-interface.js';

describe('cardInterfaceFromAtr', () => {
  // My Number Card ATRs from jpki-card.md §12.
  it.each([
    ['3be000ff8131fe4514', 'contact'],
    ['3bda13ff8131fb468012392f31c173c601c03b', 'contact'],
    ['3bc5ff8131fb4580 73c6010000'.replace(' ', ''), 'contact'],
    ['3b888001000005e0b381a1007f', 'contactless'],
    ['3b88800100004be0b381a1003b', 'contactless'],
    ['3b888001004b51ff0081d100bc', 'contactless'],
    ['3f96180180510d5a0000', 'contact'],
    ['', 'unknown'],
    ['3b', 'unknown'],
    ['00112233', 'unknown'],
  ])('%s is %s', (hex, expected) => {
    expect(cardInterfaceFromAtr(hexToBytes(hex))).toBe(expected);
  });
});
