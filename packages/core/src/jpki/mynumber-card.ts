/**
 * `MyNumberCard`: what clinic developers call. Opens a card over any Transport through a
 * CardSession, detects it by SELECT + token (never by ATR), reads certificates, checks PIN
 * counters without spending a try, verifies PINs safely, signs, reads the card-info APs, and runs
 * the PIN-mode check in the fewest APDUs the card and link allow.
 *
 * PIN safety (DEVELOPERS.md rule 4): VERIFY is never retried; the counter is read before every
 * VERIFY; the last remaining try is refused unless `allowLastTry: true`; PIN buffers are zeroed;
 * traces redact VERIFY data; the card is unpowered on close after any VERIFY.
 *
 * @example
 * ```ts
 * import { MyNumberCard } from '@kakunin/core/jpki';
 * await using card = MyNumberCard.open(transport);
 * const { triesLeft } = await card.pinStatus('auth');
 * const result = await card.check({ pin: '1234', challenge: crypto.getRandomValues(new Uint8Array(32)) });
 * ```
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { CardSession, type CardSessionOptions, type TransmitOptions } from '../iso7816/card-session.js';
import { SHORT_MAX_LE } from '../iso7816/command-apdu.js';
import { CLA, INS } from '../iso7816/instructions.js';
import { StatusWordError, SW } from '../iso7816/status-words.js';
import { CardError } from '../transport/card-error.js';
import type { Transport } from '../transport/transport.js';
import { checkTimings, metered } from './apdu-meter.js';
import { CardAccess, type LinkFacts } from './card-access.js';
import {
  AID,
  CERTIFICATE_PRESENT,
  type ElementaryFile,
  FACE_EF,
  JPKI_EF,
  SIGN_P1_DIGEST_INFO,
  TEXT_EF,
  TOKEN_LABEL,
  TOKEN_LABEL_LENGTH,
} from './constants.js';
import { buildDigestInfo, type HashAlgorithm, hash } from './digest-info.js';
import { type CardFace, parseCardFace } from './face-ap.js';
import { encodePin, PIN_SPECS, type PinKey } from './pin.js';
import { PinOperations, type PinStatus, type VerifyOptions } from './pin-operations.js';
import { rsaPublicKeyFromCertificate, rsaVerifyDigestInfo } from './rsa.js';
import {
  type BasicFour,
  type IntegrityResult,
  parseBasicFour,
  parseCvCertificate,
  parseMyNumber,
  verifyIntegrity,
} from './text-ap.js';

export type { PinStatus, VerifyOptions } from './pin-operations.js';

export type CertificateKind = 'auth' | 'authCA' | 'sign' | 'signCA';
export type SigningKey = 'auth' | 'sign';

/** What kind of card answered (jpki-card.md §3.2). */
export type CardKind = 'mynumber-card' | 'android' | 'iphone' | 'juki-card' | 'unknown-jpki';

export interface CardIdentity {
  readonly kind: CardKind;
  readonly tokenLabel: string;
  /** False on cards without a sign certificate (children under 15): EF 0008 byte 0 ≠ 8F. */
  readonly hasSignCertificate: boolean;
  /**
   * Present on the old 住基カード (`JPKIAPICCTOKEN`): its JPKI certificates were issued until 2015
   * and have all expired, so no check with it can succeed; ask for the My Number card.
   */
  readonly certificatesExpired?: true;
}

export interface SignOptions extends TransmitOptions {
  readonly algorithm?: HashAlgorithm;
  /** Check the signature against the key's certificate before returning (reads the certificate). */
  readonly verify?: boolean;
}

export interface CheckOptions extends TransmitOptions {
  /** The auth PIN (4 digits). A Uint8Array is zeroed after use. */
  readonly pin: string | Uint8Array;
  /** Server challenge to sign with the auth key (SHA-256 DigestInfo over it). */
  readonly challenge: Uint8Array;
  readonly allowLastTry?: boolean;
}

export interface CheckResult {
  readonly certificate: Uint8Array;
  readonly signature: Uint8Array;
  /** Tries left before the VERIFY. */
  readonly triesLeftBefore: number | null;
  /** Milliseconds per step, summed from the session's trace events (apdu-meter). */
  readonly timings: {
    readonly select: number;
    readonly pinStatus: number;
    readonly verify: number;
    readonly sign: number;
    readonly readCertificate: number;
    readonly total: number;
  };
  /** APDUs exchanged with the transport for this check (counted from the trace events). */
  readonly apduCount: number;
}

const CERTIFICATE_FILES: Readonly<Record<CertificateKind, ElementaryFile>> = {
  auth: JPKI_EF.AUTH_CERTIFICATE,
  authCA: JPKI_EF.AUTH_CA_CERTIFICATE,
  sign: JPKI_EF.SIGN_CERTIFICATE,
  signCA: JPKI_EF.SIGN_CA_CERTIFICATE,
};

const SIGNING: Readonly<
  Record<SigningKey, { key: ElementaryFile; pin: PinKey; certificate: CertificateKind }>
> = {
  auth: { key: JPKI_EF.AUTH_KEY, pin: 'auth', certificate: 'auth' },
  sign: { key: JPKI_EF.SIGN_KEY, pin: 'sign', certificate: 'sign' },
};

/** `80 FC 00 00`: the iPhone token's last-command indicator (jpki-card.md §9, [SOL] single source). */
const INS_LAST_COMMAND_INDICATOR = 0xfc;
/** RSA-2048 signature length. */
const SIGNATURE_LENGTH = 256;

export interface OpenOptions extends CardSessionOptions {}

/**
 * A My Number Card over any Transport: the entry point for clinic developers. Open it with
 * `MyNumberCard.open(transport)`, then read certificates, check PIN counters without spending a try,
 * verify PINs under the PIN-safety rules (never retried, last try refused unless allowed), sign, read
 * the card-info APs, or run `check()` for the whole PIN-mode check. Close it (or `await using`).
 *
 * @example
 * ```ts
 * await using card = MyNumberCard.open(transport);
 * const result = await card.check({ pin, challenge });
 * ```
 */
export class MyNumberCard implements AsyncDisposable {
  readonly #session: CardSession;
  /** Selection and what the card/link has shown it accepts: the one owner (card-access.ts). */
  readonly #access: CardAccess;
  /** Counter, guard, VERIFY, CHANGE and the one-PIN-operation-at-a-time rule (pin-operations.ts). */
  readonly #pins: PinOperations;
  /** What detect() found (drives the iPhone token's last-command indicator on close). */
  #kind: CardKind | undefined;

  constructor(session: CardSession) {
    if (!(session instanceof CardSession)) throw new TypeError('session must be a CardSession');
    this.#session = session;
    this.#access = new CardAccess(session);
    this.#pins = new PinOperations(this.#access, (key, options) =>
      PIN_SPECS[key].aid === AID.JPKI
        ? this.#selectJpki(options)
        : this.#access.selectApplication(PIN_SPECS[key].aid, options),
    );
  }

  /** Opens a card over a transport (no APDU is sent until you call a method). */
  static open(transport: Transport, options: OpenOptions = {}): MyNumberCard {
    return new MyNumberCard(new CardSession(transport, options));
  }

  /**
   * What this card and link have shown they accept so far (SFI addressing, extended reads, the
   * response cap, a reader that mishandles Le = 00): a frozen copy, for diagnostics and tests.
   */
  get linkFacts(): LinkFacts {
    return this.#access.facts;
  }

  /** SELECT the JPKI AP and read the token label and certificate availability. */
  async detect(options: TransmitOptions = {}): Promise<CardIdentity> {
    await this.#selectJpki(options);
    const token = await this.#access.readPhysical(AID.JPKI, JPKI_EF.TOKEN_INFO, TOKEN_LABEL_LENGTH, options);
    const tokenLabel = new TextDecoder('ascii').decode(token).replace(/[\s\0]+$/, '');
    const kind: CardKind =
      tokenLabel === TOKEN_LABEL.CARD
        ? 'mynumber-card'
        : tokenLabel === TOKEN_LABEL.ANDROID
          ? 'android'
          : tokenLabel === TOKEN_LABEL.IPHONE
            ? 'iphone'
            : tokenLabel === TOKEN_LABEL.JUKI_CARD
              ? 'juki-card'
              : 'unknown-jpki';
    let hasSignCertificate = true;
    if (kind === 'mynumber-card' || kind === 'juki-card') {
      const availability = await this.#access.readPhysical(
        AID.JPKI,
        JPKI_EF.CERTIFICATE_AVAILABILITY,
        3,
        options,
      );
      hasSignCertificate = availability[0] === CERTIFICATE_PRESENT;
    }
    this.#kind = kind;
    return {
      kind,
      tokenLabel,
      hasSignCertificate,
      ...(kind === 'juki-card' ? { certificatesExpired: true } : {}),
    };
  }

  async #selectJpki(options: TransmitOptions): Promise<void> {
    try {
      await this.#access.selectApplication(AID.JPKI, options);
    } catch (error) {
      if (
        error instanceof StatusWordError &&
        (error.sw === SW.FILE_NOT_FOUND ||
          error.sw === SW.INCORRECT_P1_P2 ||
          error.sw === SW.FUNCTION_NOT_SUPPORTED)
      ) {
        throw new CardError(
          'NOT_A_MYNUMBER_CARD',
          'この カードには公的個人認証APがありません / the card has no JPKI application',
          { cause: error, remedy: 'card.not-mynumber' },
        );
      }
      throw error;
    }
  }

  /**
   * Reads a certificate as DER. `sign` needs the signing password verified first; on Android
   * (JPKIAPGPSETOKEN) `auth` needs the auth PIN first.
   */
  async readCertificate(kind: CertificateKind, options: TransmitOptions = {}): Promise<Uint8Array> {
    const file = CERTIFICATE_FILES[kind];
    if (file === undefined) throw new RangeError(`unknown certificate ${String(kind)}`);
    await this.#selectJpki(options);
    try {
      return await this.#access.readObject(AID.JPKI, file, options);
    } catch (error) {
      if (error instanceof StatusWordError && error.code === 'SECURITY_STATUS_NOT_SATISFIED') {
        const pin = kind === 'sign' ? 'sign' : 'auth';
        throw new StatusWordError(error.sw, error.ins, {
          message: `${kind} certificate: verify the ${pin === 'sign' ? 'signing password' : 'auth PIN'} first`,
          cause: error,
          details: { needs: pin },
        });
      }
      if (CardError.isInstance(error, 'FILE_ABSENT') || CardError.isInstance(error, 'FILE_MALFORMED')) {
        if (kind === 'sign' || kind === 'signCA')
          throw new CardError('CERT_ABSENT', 'no signing certificate on this card', {
            cause: error,
            remedy: 'cert.sign-absent',
          });
      }
      throw error;
    }
  }

  /** Reads a PIN's retry counter without spending a try (jpki-card.md §8). */
  async pinStatus(key: PinKey, options: TransmitOptions = {}): Promise<PinStatus> {
    return this.#pins.status(key, options);
  }

  /**
   * Verifies a PIN once. Reads the counter first; refuses a blocked key (PIN_BLOCKED) and the last
   * try (LAST_TRY_REFUSED) unless `allowLastTry`. Wrong PIN → PIN_INCORRECT with `details.triesLeft`.
   * A second PIN operation while one is in flight is BUSY before any APDU.
   */
  async verifyPin(key: PinKey, pin: string | Uint8Array, options: VerifyOptions = {}): Promise<void> {
    return this.#pins.verify(key, pin, options);
  }

  /** Changes a PIN: VERIFY the old value (with all the guards), then CHANGE REFERENCE DATA. */
  async changePin(
    key: 'auth' | 'sign' | 'text',
    oldPin: string | Uint8Array,
    newPin: string | Uint8Array,
    options: VerifyOptions = {},
  ): Promise<void> {
    return this.#pins.change(key, oldPin, newPin, options);
  }

  /**
   * PKCS#1 v1.5 signature with the auth or sign key (its PIN must be verified in this session).
   * `input` is the message (hashed here) or `{ digest }`.
   */
  async sign(
    key: SigningKey,
    input: Uint8Array | { readonly digest: Uint8Array },
    options: SignOptions = {},
  ): Promise<Uint8Array> {
    const signing = SIGNING[key];
    if (signing === undefined) throw new RangeError(`unknown signing key ${String(key)}`);
    const algorithm = options.algorithm ?? 'sha256';
    const digest = input instanceof Uint8Array ? hash(algorithm, input) : input.digest;
    const digestInfo = buildDigestInfo(digest, algorithm);
    await this.#selectJpki(options);
    const signature = await this.#signDigestInfo(signing.key, digestInfo, options);
    if (options.verify === true) {
      const certificate = await this.readCertificate(signing.certificate, options);
      if (!rsaVerifyDigestInfo(rsaPublicKeyFromCertificate(certificate), signature, digestInfo)) {
        throw new CardError(
          'SIGNATURE_INVALID',
          'the card returned a signature that does not verify with its certificate',
          { remedy: 'card.damaged' },
        );
      }
    }
    return signature;
  }

  async #signDigestInfo(
    keyFile: ElementaryFile,
    digestInfo: Uint8Array,
    options: TransmitOptions,
  ): Promise<Uint8Array> {
    const command = {
      cla: CLA.PROPRIETARY,
      ins: INS.PERFORM_SECURITY_OPERATION,
      p1: SIGN_P1_DIGEST_INFO,
      p2: await this.#access.reference(keyFile, options),
      data: digestInfo,
      le: SHORT_MAX_LE,
    };
    const response = await this.#access.transmitForLength(command, SIGNATURE_LENGTH, options);
    if (response.sw === SW.SECURITY_STATUS_NOT_SATISFIED) {
      throw new StatusWordError(response.sw, command.ins, {
        message: 'signing needs the key’s PIN verified in this session',
      });
    }
    if (response.sw !== SW.SUCCESS) throw new StatusWordError(response.sw, command.ins);
    if (response.data.length !== SIGNATURE_LENGTH)
      throw new CardError(
        'RESPONSE_MALFORMED',
        `signature of ${response.data.length} bytes, expected ${SIGNATURE_LENGTH}`,
        { remedy: 'card.moved' },
      );
    return response.data.slice();
  }

  /**
   * The PIN-mode identity check: SELECT JPKI AP, read the auth-PIN counter, VERIFY, sign the
   * challenge with the auth key, read the auth certificate. 5 APDUs on an extended-capable link.
   */
  async check(options: CheckOptions): Promise<CheckResult> {
    if (!(options.challenge instanceof Uint8Array) || options.challenge.length === 0)
      throw new TypeError('challenge must be a non-empty Uint8Array');
    const { value, apdus, totalMs } = await metered(this.#session, () =>
      this.#pins.exclusive(() => this.#check(options)),
    );
    return {
      ...value,
      timings: { ...checkTimings(apdus), total: totalMs },
      apduCount: apdus.length,
    };
  }

  async #check(
    options: CheckOptions,
  ): Promise<Pick<CheckResult, 'certificate' | 'signature' | 'triesLeftBefore'>> {
    const encoded = encodePin('auth', options.pin);
    try {
      await this.#selectJpki(options);
      const status = await this.#pins.present('auth', encoded, options);
      encoded.fill(0);
      const signature = await this.#signDigestInfo(
        JPKI_EF.AUTH_KEY,
        buildDigestInfo(sha256(options.challenge)),
        options,
      );
      const certificate = await this.#access.readObject(AID.JPKI, JPKI_EF.AUTH_CERTIFICATE, options);
      return { certificate, signature, triesLeftBefore: status.triesLeft };
    } finally {
      encoded.fill(0);
    }
  }

  /** Visual-mode (目視) variant: only the auth certificate, no PIN. */
  async visualCheck(options: TransmitOptions = {}): Promise<{ certificate: Uint8Array; apduCount: number }> {
    const { value, apdus } = await metered(this.#session, () => this.readCertificate('auth', options));
    return { certificate: value, apduCount: apdus.length };
  }

  /**
   * Reads one elementary file as the card stores it, through this card's link knowledge: a
   * BER-TLV object sized from its header, or exactly `length` bytes (e.g. the 17-byte my-number
   * file with its filler). Files behind a PIN need that PIN verified first.
   */
  async readFile(
    application: Uint8Array,
    file: ElementaryFile,
    options: TransmitOptions & { readonly length?: number } = {},
  ): Promise<Uint8Array> {
    return options.length === undefined
      ? this.#access.readObject(application, file, options)
      : this.#access.readPhysical(application, file, options.length, options);
  }

  /** 個人番号 (needs the card-info PIN or 照合番号A verified). */
  async readMyNumber(options: TransmitOptions = {}): Promise<string> {
    return parseMyNumber(await this.#readText(TEXT_EF.MY_NUMBER, options, 17));
  }

  /** 基本4情報 (needs the card-info PIN or 照合番号B verified). */
  async readBasicFour(options: TransmitOptions = {}): Promise<BasicFour> {
    return parseBasicFour(await this.#readText(TEXT_EF.BASIC_FOUR, options));
  }

  /**
   * Verifies the text AP's integrity record (EF 0003) with the CV certificate key (EF 0004) against
   * the files readable under the current credential.
   */
  async verifyTextIntegrity(
    options: TransmitOptions & { myNumber?: boolean; basicFour?: boolean } = {},
  ): Promise<IntegrityResult> {
    const record = await this.#readText(TEXT_EF.INTEGRITY, options);
    const cv = parseCvCertificate(await this.#readText(TEXT_EF.CV_CERTIFICATE, options));
    const myNumberFile =
      options.myNumber === false ? undefined : await this.#readText(TEXT_EF.MY_NUMBER, options, 17);
    const basicFourFile =
      options.basicFour === false ? undefined : await this.#readText(TEXT_EF.BASIC_FOUR, options);
    return verifyIntegrity(record, cv, {
      ...(myNumberFile === undefined ? {} : { myNumberFile }),
      ...(basicFourFile === undefined ? {} : { basicFourFile }),
    });
  }

  async #readText(
    file: ElementaryFile,
    options: TransmitOptions,
    physicalLength?: number,
  ): Promise<Uint8Array> {
    try {
      return physicalLength === undefined
        ? await this.#access.readObject(AID.TEXT, file, options)
        : await this.#access.readPhysical(AID.TEXT, file, physicalLength, options);
    } catch (error) {
      if (error instanceof StatusWordError && error.code === 'SECURITY_STATUS_NOT_SATISFIED') {
        throw new StatusWordError(error.sw, error.ins, {
          message: `${file.label}: verify the card-info PIN (or 照合番号A/B) first`,
          cause: error,
        });
      }
      throw error;
    }
  }

  /** 券面事項確認AP card face (needs 照合番号A or B verified in the card-face AP). */
  async readCardFace(options: TransmitOptions = {}): Promise<CardFace> {
    return parseCardFace(await this.#access.readObject(AID.FACE, FACE_EF.CARD_FACE, options));
  }

  /**
   * Closes the session; unpowers the card first if any PIN was verified. On the iPhone token the
   * proprietary last-command indicator `80 FC 00 00` goes out first (jpki-card.md §9; plastic cards
   * would answer it 67 00, so it is sent only after detect() found `JPKIAPIOSTOKEN`).
   */
  async close(): Promise<void> {
    if (this.#kind === 'iphone') {
      try {
        await this.#access.transmit({ cla: CLA.PROPRIETARY, ins: INS_LAST_COMMAND_INDICATOR, p1: 0, p2: 0 });
      } catch {
        // The phone may already have left the field; closing is what remains.
      }
    }
    await this.#session.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
