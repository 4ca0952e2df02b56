/**
 * The app version shown on the diagnostics page and by `kakunin doctor` (kept equal to
 * package.json by a test).
 *
 * @example
 * ```ts
 * console.log(APP_VERSION);
 * ```
 */
export const APP_VERSION = '0.3.0';
