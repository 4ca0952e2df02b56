/**
 * Seeds a demo installation: a facility and staff account, the virtual cards linked to the
 * stand-in's synthetic persons (保険証利用登録), and stored patient records that show the
 * reconciliation anomalies (a 6-digit insurer number stored zero-padded; a name the national
 * system prints with "●"). Idempotent.
 *
 * @example
 * ```ts
 * await seedDemo(server.services, desk, { accountId: 'demo', password: 'demo-pass-1234' });
 * ```
 */
import type { ReceptionServices } from '../server.js';
import type { DeskCard, SimulatorDesk } from './simulator-desk.js';

/** Which synthetic person each virtual card is registered to. */
export const DEMO_CARD_LINKS: Readonly<Partial<Record<DeskCard, string>>> = {
  plastic: 'valid-kokuho',
  android: 'valid-employee',
  child: 'valid-dependant',
  expired: 'valid-elderly',
  blocked: 'invalid',
  // registered, but its certificate is revoked: the stand-in refuses before looking the person up
  revoked: 'valid-employee',
};

export const DEMO_FACILITY = { code: '1399999999', name: '模擬クリニック(デモ)' } as const;

export async function seedDemo(
  services: ReceptionServices,
  desk: SimulatorDesk,
  options: {
    accountId: string;
    password: string;
    displayName?: string;
    /** Select the desk's reader in the settings when none is chosen (default true). */
    selectDeskReader?: boolean;
  },
): Promise<void> {
  if (services.accounts.facility() === undefined) {
    await services.accounts.registerFacility({
      facilityCode: DEMO_FACILITY.code,
      facilityName: DEMO_FACILITY.name,
      accountId: options.accountId,
      displayName: options.displayName ?? '受付デモ',
      password: options.password,
    });
  }
  if (services.standIn !== undefined) {
    for (const [profile, person] of Object.entries(DEMO_CARD_LINKS)) {
      if (services.standIn.personForCertificate(desk.authCertificate(profile as DeskCard)) === undefined) {
        services.standIn.linkCertificate(person, desk.authCertificate(profile as DeskCard));
      }
    }
  }
  if (services.patients.search('P0001').length === 0) {
    services.patients.insert({
      referenceNumber: 'P0001',
      insurerNumber: '00138057',
      symbol: 'モギ',
      number: '1234567',
      branch: '00',
      familyClass: '1',
      name: '試験　太郎',
      nameKana: 'シケン　タロウ',
      birthdate: '1980-04-01',
      sex: '1',
      copaymentRatio: 30,
      validFrom: '2020-04-01',
      validUntil: null,
    });
    services.patients.insert({
      referenceNumber: 'P0005',
      insurerNumber: '138057',
      symbol: 'モギ',
      number: '1112223',
      branch: '00',
      familyClass: '1',
      name: '𠮷田　次郎',
      nameKana: 'ヨシダ　ジロウ',
      birthdate: '1990-09-09',
      sex: '1',
      copaymentRatio: 30,
      validFrom: '2022-04-01',
      validUntil: null,
    });
  }
  const settings = services.settings.get();
  if (settings.readerId === null && options.selectDeskReader !== false)
    services.settings.update('demo-seed', { readerId: desk.readerId });
}
