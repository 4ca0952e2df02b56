/**
 * `@kakunin/core/remedies`: what staff should do about an error. The code → meaning → remedy table
 * ({@link ERROR_TABLE}, {@link remedyFor}) and the troubleshooting catalogue built from the user's FAQ
 * and the ministry's flyer ({@link remedyCatalog}, {@link troubleshoot}), Japanese first.
 *
 * @example
 * ```ts
 * import { remedyFor, troubleshoot } from '@kakunin/core/remedies';
 * const key = remedyFor(error, 'wired-reader');
 * if (key !== undefined) show(troubleshoot(key, 'wired-reader'));
 * ```
 */
export { ERROR_TABLE, type ErrorTableRow, remedyFor, type SetupRemedy } from './error-table.js';
export {
  type ChecklistItem,
  FAQ_CHECKLISTS,
  type LocalizedText,
  type ReaderSetup,
  type Remedy,
  remedyCatalog,
  type TroubleshootingGuide,
  troubleshoot,
} from './remedy-catalog.js';
