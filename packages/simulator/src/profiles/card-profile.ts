/**
 * Card profiles: ready-made virtual cards with documented credentials (README "Profiles").
 *
 * | profile | what it models |
 * |---|---|
 * | `plastic` | the My Number card (token `JPKIAPICCTOKEN2`), all four applications |
 * | `android` | Android スマホ用電子証明書 (`JPKIAPGPSETOKEN`): JPKI AP only, auth certificate behind the auth PIN |
 * | `child` | a card of a child under 15: no sign certificate, key or password; EF 0008 = `00 8F 00` |
 * | `expired` | certificates issued 2016-01-15, expired at the 5th birthday after |
 * | `blocked` | the auth PIN is blocked (0 tries left) |
 * | `damaged` | a damaged chip: `mute` (6F 00), `stall` or `garble` |
 * | `juki` | the old 住基カード (`JPKIAPICCTOKEN`): JPKI AP only, certificates issued 2015, all expired |
 * | `iphone` | iPhone Wallet JPKI (`JPKIAPIOSTOKEN`) seen through a PC-side contactless reader (README: assumptions) |
 * | `face-auth` | 顔認証マイナンバーカード: no PIN set (VERIFY → 69 84), no sign certificate |
 *
 * Every profile is deterministic from `seed`: the same seed gives the same person, keys and
 * certificates. Keys come from a {@link TestKeyStore}; pass one with a cache directory to keep
 * test runs fast.
 *
 * @example
 * ```ts
 * const profile = createCardProfile('plastic', { keyStore });
 * const card = new VirtualMyNumberCard(profile.image);
 * profile.credentials.authPin; // '1234'
 * ```
 */

import { TOKEN_LABEL } from '@kakunin/core/jpki';
import { buildCommonApplet } from '../applets/common-applet.js';
import { buildFaceApplet } from '../applets/face-applet.js';
import { buildJpkiApplet } from '../applets/jpki-applet.js';
import { buildTextApplet } from '../applets/text-applet.js';
import type { ApplicationSpec, CardDamage, CardImage, CardQuirks, DamageMode } from '../card/card-file.js';
import { parseCardQuirks } from '../card/card-quirks.js';
import { birthDateKey, verificationNumberA, verificationNumberB } from '../person/card-credentials.js';
import { createSyntheticPerson, type SyntheticPerson } from '../person/synthetic-person.js';
import type { TestKeyStore } from '../pki/test-key-store.js';
import { type EndEntityCertificate, TestPki } from '../pki/test-pki.js';

/**
 * Every profile name.
 *
 * @example
 * ```ts
 * for (const name of PROFILE_NAMES) createVirtualCard(name, { keyStore });
 * ```
 */
export const PROFILE_NAMES = [
  'plastic',
  'android',
  'child',
  'expired',
  'blocked',
  'damaged',
  'juki',
  'iphone',
  'face-auth',
] as const;
/**
 * A profile name.
 *
 * @example
 * ```ts
 * const name: ProfileName = 'android';
 * ```
 */
export type ProfileName = (typeof PROFILE_NAMES)[number];

/**
 * Contact ATR listed for JPKI by OpenSC (jpki-card.md §12.1).
 *
 * @example
 * ```ts
 * createVirtualCard('android', { atr: ATR_CONTACT });
 * ```
 */
export const ATR_CONTACT = Uint8Array.of(0x3b, 0xe0, 0x00, 0xff, 0x81, 0x31, 0xfe, 0x45, 0x14);
/**
 * A PC/SC part 3 contactless ATR with JPKI ATQB bytes (jpki-card.md §12.2).
 *
 * @example
 * ```ts
 * createVirtualCard('plastic', { atr: ATR_CONTACTLESS });
 * ```
 */
export const ATR_CONTACTLESS = Uint8Array.of(
  0x3b,
  0x88,
  0x80,
  0x01,
  0x00,
  0x00,
  0x05,
  0xe0,
  0xb3,
  0x81,
  0xa1,
  0x00,
  0x7f,
);
/**
 * ATRs My Number cards present in the field (detection never depends on them): the OpenSC contact
 * ATR, two further contact ATRs (pcsc-tools smartcard_list as quoted in jpki/myna#12; OpenSC#3021)
 * and the PC/SC part 3 contactless ATR a contactless reader synthesises (jpki-card.md §12.2).
 *
 * @example
 * ```ts
 * for (const atr of FIELD_ATRS) createVirtualCard('plastic', { keyStore, atr });
 * ```
 */
export const FIELD_ATRS: readonly Uint8Array[] = [
  ATR_CONTACT,
  Uint8Array.of(0x3b, 0xc5, 0xff, 0x81, 0x31, 0xfb, 0x45, 0x80, 0x73, 0xc6, 0x01, 0x00, 0x00),
  Uint8Array.of(
    0x3b,
    0xda,
    0x13,
    0xff,
    0x81,
    0x31,
    0xfb,
    0x46,
    0x80,
    0x12,
    0x39,
    0x2f,
    0x31,
    0xc1,
    0x73,
    0xc6,
    0x01,
    0xc0,
    0x3b,
  ),
  ATR_CONTACTLESS,
];
/** Issuance of the `juki` profile's certificates: the 住基カード was issued until 2015-12. */
export const JUKI_ISSUED_AT = new Date('2015-06-01T01:00:00Z');
/** MF-level GET DATA tags (jpki-card.md §7). */
const GET_DATA_TAG = {
  CARD_IDENTIFICATION_NUMBER: 0x0045,
  MUNICIPALITY_CODE: 0x00f0,
  EXPIRY: 0x00f2,
  CONTACT_ATR: 0x5f51,
} as const;
/**
 * Default certificate issuance time (10:00 JST on the default card issue date).
 *
 * @example
 * ```ts
 * createCardProfile('plastic', { issuedAt: DEFAULT_ISSUED_AT });
 * ```
 */
export const DEFAULT_ISSUED_AT = new Date('2025-10-27T01:00:00Z');
/**
 * Issuance time of the `expired` profile.
 *
 * @example
 * ```ts
 * createCardProfile('plastic', { issuedAt: EXPIRED_ISSUED_AT }); // like 'expired'
 * ```
 */
export const EXPIRED_ISSUED_AT = new Date('2016-01-15T01:00:00Z');

/**
 * Every credential of a card (documented in the README; synthetic, for tests only).
 *
 * @example
 * ```ts
 * createCardProfile('plastic').credentials.signPassword; // 'KAKUNIN1'
 * ```
 */
export interface CardCredentials {
  /** 利用者証明用暗証番号 (JPKI 0018). */
  readonly authPin: string;
  /** 署名用パスワード (JPKI 001B); `null` when the card has no sign certificate. */
  readonly signPassword: string | null;
  /** 券面事項入力補助用暗証番号 (text AP 0011). */
  readonly cardInfoPin: string;
  /** 照合番号A (text 0014, face 0013) = 個人番号. */
  readonly verificationNumberA: string;
  /** 照合番号B (text 0015, face 0012). */
  readonly verificationNumberB: string;
  /** Birth-date key (face 0011). */
  readonly birthDateKey: string;
  /** 住基 PIN (共通AP 001C). */
  readonly residentPin: string;
}

/**
 * Options of a card profile.
 *
 * @example
 * ```ts
 * createCardProfile('plastic', { keyStore, extendedLength: false, triesLeft: { authPin: 1 } });
 * ```
 */
export interface CardProfileOptions {
  /** Seed of the person, keys and serials (default `kakunin`). */
  readonly seed?: string;
  readonly keyStore?: TestKeyStore;
  /** Share one PKI between profiles (its seed then wins for the CA keys). */
  readonly pki?: TestPki;
  /** Certificate issuance time (default 2025-10-27T01:00Z; `expired`: 2016-01-15). */
  readonly issuedAt?: Date;
  /** Replace the synthetic person. */
  readonly person?: SyntheticPerson;
  /** Extended Lc/Le on the card (default true). `false` answers 67 00 to extended APDUs. */
  readonly extendedLength?: boolean;
  /** Override credentials (e.g. another auth PIN). */
  readonly credentials?: Partial<CardCredentials>;
  /** Tries left at first power-on, per credential. */
  readonly triesLeft?: Partial<Record<keyof CardCredentials, number>>;
  /** `damaged` profile sub-mode (default `mute`). */
  readonly damage?: DamageMode | CardDamage;
  /** Override the ATR. */
  readonly atr?: Uint8Array;
  /** Answer 6F 00 to the first command after a cold reset (jpki-card.md §13). */
  readonly firstCommandAfterColdReset6F00?: boolean;
  /** Field behaviours of real cards (T=0-style 61xx, 6Cxx cap, …), all off by default. */
  readonly quirks?: CardQuirks;
  /**
   * Exact DER length of the auth certificate (EF 000A). Default: the natural size (1,391 bytes for
   * the default seed). Real cards: README "Certificate sizes"; e.g. 1,120 = five 224-byte chunks.
   */
  readonly authCertificateLength?: number;
  /** Exact DER length of the sign certificate (EF 0001); README "Certificate sizes" (1,837 seen). */
  readonly signCertificateLength?: number;
}

/**
 * A profile: the card image plus everything a test needs to check what it reads.
 *
 * @example
 * ```ts
 * const profile: CardProfile = createCardProfile('child', { keyStore });
 * ```
 */
export interface CardProfile {
  readonly name: ProfileName;
  readonly seed: string;
  readonly image: CardImage;
  readonly person: SyntheticPerson;
  readonly credentials: CardCredentials;
  readonly tokenLabel: string;
  readonly pki: TestPki;
  readonly authCertificate: EndEntityCertificate;
  /** `null` on the child profile. */
  readonly signCertificate: EndEntityCertificate | null;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * Builds a profile. Synchronous; the first call for a seed generates up to 8 RSA keys (~0.5 s
 * each) unless the key store has them cached.
 *
 * @example
 * ```ts
 * createCardProfile('damaged', { keyStore, damage: 'stall' });
 * ```
 */
export function createCardProfile(
  name: ProfileName = 'plastic',
  options: CardProfileOptions = {},
): CardProfile {
  if (!(PROFILE_NAMES as readonly string[]).includes(name)) {
    throw new RangeError(`name must be one of ${PROFILE_NAMES.join(', ')}; got ${String(name)}`);
  }
  const seed = options.seed ?? 'kakunin';
  const pki =
    options.pki ??
    new TestPki({ seed, ...(options.keyStore === undefined ? {} : { keyStore: options.keyStore }) });
  const keyStore = pki.keyStore;
  const issuedAt =
    options.issuedAt ??
    (name === 'expired' ? EXPIRED_ISSUED_AT : name === 'juki' ? JUKI_ISSUED_AT : DEFAULT_ISSUED_AT);
  /** Only the JPKI AP: phones hold no card-info APs; the 住基カード had none of them (住基AP not modelled). */
  const jpkiOnly = name === 'android' || name === 'iphone' || name === 'juki';
  const person =
    options.person ??
    createSyntheticPerson(seed, {
      issuedOn: isoDay(issuedAt),
      ageClass: name === 'child' ? 'child' : 'adult',
    });
  const hasSign = name !== 'child' && name !== 'face-auth';
  const credentials: CardCredentials = {
    authPin: '1234',
    signPassword: hasSign ? 'KAKUNIN1' : null,
    cardInfoPin: '1234',
    verificationNumberA: verificationNumberA(person),
    verificationNumberB: verificationNumberB(person),
    birthDateKey: birthDateKey(person),
    residentPin: '1234',
    ...options.credentials,
  };
  const tries = options.triesLeft ?? {};
  const extendedLength = options.extendedLength ?? true;
  const tokenLabel =
    name === 'android'
      ? TOKEN_LABEL.ANDROID
      : name === 'iphone'
        ? TOKEN_LABEL.IPHONE
        : name === 'juki'
          ? TOKEN_LABEL.JUKI_CARD
          : TOKEN_LABEL.CARD;

  const authCertificate = pki.issueAuthCertificate(person, {
    issuedAt,
    ...(options.authCertificateLength === undefined
      ? {}
      : { certificateLength: options.authCertificateLength }),
  });
  const signCertificate = hasSign
    ? pki.issueSignCertificate(person, {
        issuedAt,
        ...(options.signCertificateLength === undefined
          ? {}
          : { certificateLength: options.signCertificateLength }),
      })
    : null;
  const applications: ApplicationSpec[] = [
    buildJpkiApplet({
      tokenLabel,
      tokenSerial: person.cardSerial,
      authCertificate: authCertificate.certificate,
      authCaCertificate: pki.authCa.certificate,
      signCertificate: signCertificate?.certificate ?? null,
      signCaCertificate: pki.signCa.certificate,
      authKey: authCertificate.privateKey,
      signKey: signCertificate?.privateKey ?? null,
      authPin: name === 'face-auth' ? null : credentials.authPin,
      signPassword: credentials.signPassword,
      authPinTriesLeft: name === 'blocked' ? 0 : (tries.authPin ?? 3),
      signPasswordTriesLeft: tries.signPassword ?? 5,
      authCertificateRequiresPin: name === 'android' || name === 'iphone',
    }),
  ];
  if (!jpkiOnly) {
    const issuer = pki.cardIssuer;
    const textKey = keyStore.rsaKey(pki.seed, `text-ap:${person.myNumber}`);
    const faceKey = keyStore.rsaKey(pki.seed, `face-ap:${person.myNumber}`);
    // What the text and face APs share: the person, the card issuer, the 照合番号 and their counters.
    const cardInfo = {
      person,
      issuerPrivateKey: issuer.privateKey,
      issuerKeyId: issuer.keyId,
      cvCertificate: issuer.cvCertificate,
      extendedLength,
      verificationA: credentials.verificationNumberA,
      verificationB: credentials.verificationNumberB,
      ...(tries.verificationNumberA === undefined
        ? {}
        : { verificationATriesLeft: tries.verificationNumberA }),
      ...(tries.verificationNumberB === undefined
        ? {}
        : { verificationBTriesLeft: tries.verificationNumberB }),
      seed: pki.seed,
    };
    applications.push(
      buildTextApplet({
        ...cardInfo,
        apPrivateKey: textKey.privateKey,
        apPublicKey: textKey.publicKey,
        pin: name === 'face-auth' ? null : credentials.cardInfoPin,
        ...(tries.cardInfoPin === undefined ? {} : { pinTriesLeft: tries.cardInfoPin }),
      }),
      buildFaceApplet({
        ...cardInfo,
        cardPrivateKey: faceKey.privateKey,
        cardPublicKey: faceKey.publicKey,
        birthDateKey: credentials.birthDateKey,
        ...(tries.birthDateKey === undefined ? {} : { birthDateKeyTriesLeft: tries.birthDateKey }),
      }),
      buildCommonApplet({
        person,
        residentPin: credentials.residentPin,
        ...(tries.residentPin === undefined ? {} : { residentPinTriesLeft: tries.residentPin }),
      }),
    );
  }
  const atr = options.atr ?? (name === 'android' || name === 'iphone' ? ATR_CONTACTLESS : ATR_CONTACT);
  const encoder = new TextEncoder();
  const damage: CardDamage | undefined =
    name !== 'damaged'
      ? undefined
      : typeof options.damage === 'object'
        ? options.damage
        : { mode: options.damage ?? 'mute' };
  const image: CardImage = {
    atr,
    applications,
    extendedLength,
    masterFileData: new Map([
      [GET_DATA_TAG.CARD_IDENTIFICATION_NUMBER, encoder.encode(person.cardSerial)],
      [GET_DATA_TAG.MUNICIPALITY_CODE, encoder.encode(person.municipality.code)],
      [GET_DATA_TAG.EXPIRY, encoder.encode(person.cardExpiresOn)],
      [GET_DATA_TAG.CONTACT_ATR, ATR_CONTACT.subarray(1)],
    ]),
    ...(options.firstCommandAfterColdReset6F00 === undefined
      ? {}
      : { firstCommandAfterColdReset6F00: options.firstCommandAfterColdReset6F00 }),
    ...(damage === undefined ? {} : { damage }),
    ...(name === 'iphone' ? { acceptsLastCommandIndicator: true } : {}),
    ...(options.quirks === undefined ? {} : { quirks: parseCardQuirks(options.quirks) }),
  };
  return { name, seed, image, person, credentials, tokenLabel, pki, authCertificate, signCertificate };
}

/** The AIDs a profile answers to (for docs and tests). */
export function profileApplications(profile: CardProfile): Uint8Array[] {
  return profile.image.applications.map((application) => application.aid);
}
