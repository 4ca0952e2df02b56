/**
 * The app rules of the マイナ資格確認アプリ that kakunin's reference app follows as fixed defaults,
 * kept in one table (domain.md §12). Sources: the user's FAQ (../shared/seeds/000_…) Q4, Q5, Q8, Q15,
 * the ministry flyer and domain.md §8.1 (certificate grace).
 *
 * @example
 * ```ts
 * import { APP_POLICY } from '@kakunin/reception';
 * APP_POLICY.accountLockMinutes; // 30
 * ```
 */
export const APP_POLICY = {
  /** FAQ Q4: 5 wrong account passwords lock the account. */
  accountMaxFailedPasswords: 5,
  /** FAQ Q4: the lock is released after 30 minutes. */
  accountLockMinutes: 30,
  /** FAQ Q5: 5 wrong passcodes send the user back to the system login and a passcode re-set. */
  passcodeMaxFailures: 5,
  /** FAQ Q15: de-registration takes up to about 1 hour; register the new device after that. */
  deviceReregistrationWaitMinutes: 60,
  /** domain.md §8.1: the card works as insurance card for 3 months after its certificate expired. */
  certificateGraceMonths: 3,
  /** domain.md §8.1: renewal alert from 3 months before expiry. */
  certificateRenewalAlertMonths: 3,
  /** jpki-card.md §8: the auth PIN has 3 tries. */
  authPinMaxTries: 3,
  /** A browser session stays unlocked this long without activity; then the passcode is asked. */
  sessionIdleMinutes: 15,
  /** A server challenge is valid this long and only once. */
  challengeLifetimeSeconds: 120,
  /** Days after a fallback when a re-query (再照会) is scheduled. */
  requeryAfterDays: 1,
} as const;

export type AppPolicy = typeof APP_POLICY;
