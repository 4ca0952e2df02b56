/**
 * Tells "airplane mode" apart from "Bluetooth off" (FAQ Q2 A2-1 names both) where the OS lets us:
 * on Linux the rfkill class shows every radio's soft/hard block; airplane mode blocks Bluetooth and
 * Wi-Fi together. noble itself only reports `poweredOff` for both (transports.md §5.1).
 *
 * @example
 * ```ts
 * const diagnosis = await diagnoseLinuxRadio(); // 'airplane-mode' | 'bluetooth-off' | 'unknown'
 * ```
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export type RadioDiagnosis = 'airplane-mode' | 'bluetooth-off' | 'unknown';

/** Linux rfkill sysfs class (kernel Documentation/driver-api/rfkill.rst). */
const RFKILL_ROOT = '/sys/class/rfkill';

interface Radio {
  readonly type: string;
  readonly blocked: boolean;
}

async function readRadio(directory: string): Promise<Radio | undefined> {
  try {
    const [type, soft, hard] = await Promise.all([
      readFile(join(directory, 'type'), 'utf8'),
      readFile(join(directory, 'soft'), 'utf8'),
      readFile(join(directory, 'hard'), 'utf8').catch(() => '0'),
    ]);
    return { type: type.trim(), blocked: soft.trim() === '1' || hard.trim() === '1' };
  } catch {
    return undefined;
  }
}

/**
 * Reads the rfkill state under `root` (default `/sys/class/rfkill`).
 *
 * @example
 * ```ts
 * await diagnoseLinuxRadio('/tmp/fake-rfkill');
 * ```
 */
export async function diagnoseLinuxRadio(root: string = RFKILL_ROOT): Promise<RadioDiagnosis> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return 'unknown';
  }
  const radios = (await Promise.all(names.map((name) => readRadio(join(root, name))))).filter(
    (radio): radio is Radio => radio !== undefined,
  );
  const bluetooth = radios.filter((radio) => radio.type === 'bluetooth');
  if (bluetooth.length === 0 || !bluetooth.every((radio) => radio.blocked)) return 'unknown';
  const wireless = radios.filter((radio) => radio.type === 'wlan' || radio.type === 'wwan');
  if (wireless.length > 0 && wireless.every((radio) => radio.blocked)) return 'airplane-mode';
  return 'bluetooth-off';
}
