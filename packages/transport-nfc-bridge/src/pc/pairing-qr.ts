/**
 * Renders a pairing URL as a QR code: for a terminal (Unicode half blocks), as SVG text, or as PNG
 * bytes. Error correction level M (15 %), enough for a phone screen or a printed sheet.
 *
 * @example
 * ```ts
 * process.stdout.write(await renderPairingQr(offer.url, 'terminal'));
 * await writeFile('pair.png', await renderPairingQr(offer.url, 'png'));
 * ```
 */
import QRCode from 'qrcode';

export type PairingQrFormat = 'terminal' | 'svg' | 'png';

/** QR error correction level M (ISO/IEC 18004 §5.5: about 15 % recovery). */
const ERROR_CORRECTION = 'M';
/** Quiet zone in modules (ISO/IEC 18004 §5.3.8 asks for 4). */
const QUIET_ZONE_MODULES = 4;

/**
 * Renders the pairing URL as a QR code.
 *
 * @example
 * ```ts
 * const svg = await renderPairingQr(offer.url, 'svg');
 * ```
 */
export async function renderPairingQr(url: string, format: 'png'): Promise<Uint8Array>;
export async function renderPairingQr(url: string, format: 'terminal' | 'svg'): Promise<string>;
export async function renderPairingQr(url: string, format: PairingQrFormat): Promise<string | Uint8Array>;
export async function renderPairingQr(url: string, format: PairingQrFormat): Promise<string | Uint8Array> {
  if (typeof url !== 'string' || url.length === 0) throw new TypeError('url must be a non-empty string');
  switch (format) {
    case 'terminal':
      return QRCode.toString(url, { type: 'utf8', errorCorrectionLevel: ERROR_CORRECTION, margin: 2 });
    case 'svg':
      return QRCode.toString(url, {
        type: 'svg',
        errorCorrectionLevel: ERROR_CORRECTION,
        margin: QUIET_ZONE_MODULES,
      });
    case 'png': {
      const buffer = await QRCode.toBuffer(url, {
        type: 'png',
        errorCorrectionLevel: ERROR_CORRECTION,
        margin: QUIET_ZONE_MODULES,
        scale: 6,
      });
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    }
    default:
      throw new RangeError(`format must be terminal, svg or png, got ${String(format)}`);
  }
}

/**
 * The module matrix for a URL (row-major booleans), e.g. for custom rendering or tests.
 *
 * @example
 * ```ts
 * pairingQrModules(url).length; // 49 for a typical pairing URL
 * ```
 */
export function pairingQrModules(url: string): boolean[][] {
  const qr = QRCode.create(url, { errorCorrectionLevel: ERROR_CORRECTION });
  const size = qr.modules.size;
  const rows: boolean[][] = [];
  for (let row = 0; row < size; row += 1) {
    const cells: boolean[] = [];
    for (let column = 0; column < size; column += 1) cells.push(qr.modules.get(row, column) === 1);
    rows.push(cells);
  }
  return rows;
}
