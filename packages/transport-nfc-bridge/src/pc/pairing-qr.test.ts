import { describe, expect, it } from 'vitest';
import { formatPairingUrl } from '../protocol/pairing-url.js';
import { pairingQrModules, renderPairingQr } from './pairing-qr.js';

const url = formatPairingUrl({
  host: '192.168.100.200',
  port: 47321,
  pairingId: new Uint8Array(8).fill(0xab),
  publicKey: new Uint8Array(32).fill(0xcd),
  token: new Uint8Array(32).fill(0xef),
  expiresAt: 1_900_000_000_000,
});

/** Width and height from the PNG IHDR chunk (PNG spec §11.2.2). */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe('pairing QR code', () => {
  it('fits a small QR version so phones scan it from a screen', () => {
    const modules = pairingQrModules(url);
    expect(modules.length).toBeLessThanOrEqual(57); // version 10 = 57 × 57 modules
    expect(modules.every((row) => row.length === modules.length)).toBe(true);
    // Finder pattern in the top-left corner (ISO/IEC 18004 §6.3.3): dark 7 × 7 border.
    expect(modules[0]!.slice(0, 7).every(Boolean)).toBe(true);
    expect(modules[6]!.slice(0, 7).every(Boolean)).toBe(true);
    expect(modules[1]![1]).toBe(false);
  });

  it('renders for the terminal with one text row per two module rows', async () => {
    const text = await renderPairingQr(url, 'terminal');
    const rows = text.replace(/\n+$/, '').split('\n');
    const size = pairingQrModules(url).length + 4; // 2-module margin each side
    expect(rows.length).toBe(Math.ceil(size / 2));
    expect(text).toMatch(/[█▀▄]/);
  });

  it('renders SVG and PNG of the same symbol', async () => {
    const svg = await renderPairingQr(url, 'svg');
    expect(svg).toMatch(/^<svg[^>]+viewBox="0 0 (\d+) \1"/);
    const size = pairingQrModules(url).length + 8; // 4-module quiet zone each side
    expect(svg).toContain(`viewBox="0 0 ${size} ${size}"`);
    const png = await renderPairingQr(url, 'png');
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(pngSize(png)).toEqual({ width: size * 6, height: size * 6 });
  });

  it('differs for different URLs and rejects bad input', async () => {
    const other = url.replace('192.168.100.200', '10.0.0.1');
    expect(await renderPairingQr(other, 'svg')).not.toBe(await renderPairingQr(url, 'svg'));
    await expect(renderPairingQr('', 'svg')).rejects.toThrow(TypeError);
    await expect(renderPairingQr(url, 'gif' as 'svg')).rejects.toThrow(RangeError);
  });
});
