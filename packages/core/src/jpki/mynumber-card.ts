// Over 600 lines: the public MyNumberCard facade over every applet; PIN, file and applet parsing live in their own modules beside it.
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
import {
  AID,
  CERTIFICATE_PRESENT,
  CHANGE_P1_NEW_ONLY,
  type ElementaryFile,
  FACE_EF,
  JPKI_EF,
  P2_CURRENT_OR_SFI,
  SIGN_P1_DIGEST_INFO,
  TEXT_EF,
  TOKEN_LABEL,
  TOKEN_LABEL_LENGTH,
} from './constants.js';
import { buildDigestInfo, type HashAlgorithm, hash } from './digest-info.js';
import { type CardFace, parseCardFace } from './face-ap.js';
import { type CardKnowledge, FileReader, isRefusal } from './file-reader.js';
import { encodePin, PIN_SPECS, type PinKey } from './pin.js';
import { rsaPublicKeyFromCertificate, rsaVerifyDigestInfo } from './rsa.js';
import {
  type BasicFour,
  type IntegrityResult,
  parseBasicFour,
  parseCvCertificate,
  parseMyNumber,
  verifyIntegrity,
} from './text-ap.js';

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

export interface PinStatus {
  /** Tries left, or null when the card answered 90 00 (does not report a counter). */
  readonly triesLeft: number | null;
  readonly blocked: boolean;
  readonly maxTries: number | undefined;
  /**
   * Present when the card was issued without this PIN (the 顔認証マイナンバーカード answers the
   * counter query with 69 84): confirm identity by face or visually. The SDK never sends VERIFY
   * for such a key (PIN_NOT_SET).
   */
  readonly pinNotSet?: true;
}

export interface VerifyOptions extends TransmitOptions {
  /** Spend the last remaining try. Without it, a counter of 1 refuses with LAST_TRY_REFUSED. */
  readonly allowLastTry?: boolean;
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
  /** Milliseconds per step. */
  readonly timings: {
    readonly select: number;
    readonly pinStatus: number;
    readonly verify: number;
    readonly sign: number;
    readonly readCertificate: number;
    readonly total: number;
  };
  /** APDUs exchanged with the transport for this check. */
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

/** 63 Cx (jpki-card.md §8). */
const COUNTER_MASK = 0xfff0;
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
  readonly session: CardSession;
  readonly #files: FileReader;
  /** Probed facts about this card/link (SFI, extended READ). Shared by every read. */
  /** What detect() found (drives the iPhone token's last-command indicator on close). */
  #kind: CardKind | undefined;
  readonly knowledge: CardKnowledge = { sfi: undefined, extendedRead: undefined, responseCap: undefined };
  /** One PIN operation (counter → VERIFY) at a time: a racing second call is BUSY, never a 2nd try. */
  #pinOperation = false;

  constructor(session: CardSession) {
    if (!(session instanceof CardSession)) throw new TypeError('session must be a CardSession');
    this.session = session;
    this.#files = new FileReader(session, this.knowledge);
  }

  /** Opens a card over a transport (no APDU is sent until you call a method). */
  static open(transport: Transport, options: OpenOptions = {}): MyNumberCard {
    return new MyNumberCard(new CardSession(transport, options));
  }

  /** SELECT the JPKI AP and read the token label and certificate availability. */
  async detect(options: TransmitOptions = {}): Promise<CardIdentity> {
    await this.#selectJpki(options);
    const token = await this.#files.readPhysical(AID.JPKI, JPKI_EF.TOKEN_INFO, TOKEN_LABEL_LENGTH, options);
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
      const availability = await this.#files.readPhysical(
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
      await this.#files.selectApplication(AID.JPKI, options);
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
      return await this.#files.readObject(AID.JPKI, file, options);
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

  async #selectPinFile(key: PinKey, options: TransmitOptions): Promise<void> {
    const spec = PIN_SPECS[key];
    if (spec.aid === AID.JPKI) await this.#selectJpki(options);
    else await this.#files.selectApplication(spec.aid, options);
  }

  /** One retry-counter query (`00 20 00 (80|SFI)` without data), with SFI fallback to SELECT. */
  async #queryCounter(key: PinKey, options: TransmitOptions): Promise<number> {
    const spec = PIN_SPECS[key];
    if (this.knowledge.sfi !== false) {
      const response = await this.session.transmit(
        { cla: CLA.ISO, ins: INS.VERIFY, p1: 0, p2: P2_CURRENT_OR_SFI | spec.ef.sfi },
        options,
      );
      // 6A88 / 6A82: the card understood the short-EF reference but has no such key (a child's
      // card has no signing password): that is an answer, not a refusal of SFI addressing.
      if (response.sw === SW.REFERENCED_DATA_NOT_FOUND || response.sw === SW.FILE_NOT_FOUND) {
        throw this.#absent(key, response.sw);
      }
      if (!isRefusal(response) || this.knowledge.sfi === true) {
        this.knowledge.sfi = true;
        return response.sw;
      }
      this.knowledge.sfi = false;
    }
    try {
      await this.#files.selectFile(spec.ef, options);
    } catch (error) {
      if (error instanceof StatusWordError && error.sw === SW.FILE_NOT_FOUND)
        throw this.#absent(key, error.sw);
      throw error;
    }
    return (
      await this.session.transmit({ cla: CLA.ISO, ins: INS.VERIFY, p1: 0, p2: P2_CURRENT_OR_SFI }, options)
    ).sw;
  }

  #absent(key: PinKey, sw: number): CardError {
    if (key === 'sign') {
      return new CardError(
        'CERT_ABSENT',
        'this card has no signing certificate or signing password (e.g. a child’s card)',
        { remedy: 'cert.sign-absent', cause: new StatusWordError(sw, INS.VERIFY), details: { key } },
      );
    }
    return new CardError('PIN_ABSENT', `${PIN_SPECS[key].description}: not on this card`, {
      cause: new StatusWordError(sw, INS.VERIFY),
      details: { key },
    });
  }

  /** Reads a PIN's retry counter without spending a try (jpki-card.md §8). */
  async pinStatus(key: PinKey, options: TransmitOptions = {}): Promise<PinStatus> {
    const spec = PIN_SPECS[key];
    if (spec === undefined) throw new RangeError(`unknown PIN key ${String(key)}`);
    await this.#selectPinFile(key, options);
    const sw = await this.#queryCounter(key, options);
    return this.#statusFromSw(key, sw);
  }

  #statusFromSw(key: PinKey, sw: number): PinStatus {
    const maxTries = PIN_SPECS[key].maxTries;
    if ((sw & COUNTER_MASK) === SW.COUNTER_BASE) {
      const triesLeft = sw & 0x0f;
      return { triesLeft, blocked: triesLeft === 0, maxTries };
    }
    if (sw === SW.SUCCESS || sw === SW.VERIFICATION_FAILED_NO_COUNTER)
      return { triesLeft: null, blocked: false, maxTries };
    // 69 84 to the counter query (no data): the key holds no usable reference data — on the
    // 顔認証マイナンバーカード no PIN was ever set. A blocked key answers the query 63 C0
    // (jpki-card.md §8); either way no VERIFY may be sent.
    if (sw === SW.REFERENCE_DATA_NOT_USABLE)
      return { triesLeft: null, blocked: false, maxTries, pinNotSet: true };
    if (sw === SW.AUTHENTICATION_METHOD_BLOCKED) return { triesLeft: 0, blocked: true, maxTries };
    throw new StatusWordError(sw, INS.VERIFY);
  }

  /**
   * Verifies a PIN once. Reads the counter first; refuses a blocked key (PIN_BLOCKED) and the last
   * try (LAST_TRY_REFUSED) unless `allowLastTry`. Wrong PIN → PIN_INCORRECT with `details.triesLeft`.
   */
  async verifyPin(key: PinKey, pin: string | Uint8Array, options: VerifyOptions = {}): Promise<void> {
    return this.#exclusivePin(() => this.#verifyPin(key, pin, options));
  }

  /**
   * Runs one PIN operation; a second one while it is in flight is refused with `BUSY` before any
   * APDU (two racing calls would both read the same counter and spend two tries).
   */
  async #exclusivePin<T>(body: () => Promise<T>): Promise<T> {
    if (this.#pinOperation) {
      throw new CardError('BUSY', 'a PIN operation is already in progress on this card', {
        details: { operation: 'pin' },
      });
    }
    this.#pinOperation = true;
    try {
      return await body();
    } finally {
      this.#pinOperation = false;
    }
  }

  async #verifyPin(key: PinKey, pin: string | Uint8Array, options: VerifyOptions): Promise<void> {
    const encoded = encodePin(key, pin);
    try {
      const status = await this.pinStatus(key, options);
      this.#guardTry(key, status, options.allowLastTry === true);
      await this.#verifyEncoded(key, encoded, options);
    } finally {
      encoded.fill(0);
    }
  }

  #guardTry(key: PinKey, status: PinStatus, allowLastTry: boolean): void {
    if (status.pinNotSet === true) {
      throw new CardError(
        'PIN_NOT_SET',
        `${PIN_SPECS[key].description}: not set on this card (顔認証マイナンバーカード); confirm identity by face or visually`,
        { remedy: 'pin.not-set', details: { key } },
      );
    }
    if (status.blocked) throw this.#blocked(key);
    if (status.triesLeft === 1 && !allowLastTry) {
      throw new CardError(
        'LAST_TRY_REFUSED',
        `${PIN_SPECS[key].description}: one try left; not spent without explicit confirmation`,
        {
          remedy: 'pin.last-try',
          details: { key, triesLeft: 1 },
        },
      );
    }
  }

  #blocked(key: PinKey): CardError {
    return new CardError('PIN_BLOCKED', `${PIN_SPECS[key].description} is blocked`, {
      remedy: key === 'sign' ? 'sign-password.blocked' : 'pin.blocked',
      details: { key, triesLeft: 0 },
    });
  }

  async #verifyEncoded(key: PinKey, encoded: Uint8Array, options: TransmitOptions): Promise<void> {
    const spec = PIN_SPECS[key];
    const p2 = this.knowledge.sfi === true ? P2_CURRENT_OR_SFI | spec.ef.sfi : P2_CURRENT_OR_SFI;
    if (p2 === P2_CURRENT_OR_SFI) await this.#files.selectFile(spec.ef, options);
    const response = await this.session.transmit(
      { cla: CLA.ISO, ins: INS.VERIFY, p1: 0, p2, data: encoded },
      options,
    );
    if (response.sw === SW.SUCCESS) return;
    if ((response.sw & COUNTER_MASK) === SW.COUNTER_BASE) {
      const triesLeft = response.sw & 0x0f;
      if (triesLeft === 0) throw this.#blocked(key);
      throw new CardError('PIN_INCORRECT', `${spec.description}: wrong value, ${triesLeft} tries left`, {
        remedy: 'pin.incorrect',
        details: { key, triesLeft },
      });
    }
    if (response.sw === SW.REFERENCE_DATA_NOT_USABLE || response.sw === SW.AUTHENTICATION_METHOD_BLOCKED)
      throw this.#blocked(key);
    throw new StatusWordError(response.sw, INS.VERIFY);
  }

  /** Changes a PIN: VERIFY the old value (with all the guards), then CHANGE REFERENCE DATA. */
  async changePin(
    key: 'auth' | 'sign' | 'text',
    oldPin: string | Uint8Array,
    newPin: string | Uint8Array,
    options: VerifyOptions = {},
  ): Promise<void> {
    return this.#exclusivePin(() => this.#changePin(key, oldPin, newPin, options));
  }

  async #changePin(
    key: 'auth' | 'sign' | 'text',
    oldPin: string | Uint8Array,
    newPin: string | Uint8Array,
    options: VerifyOptions,
  ): Promise<void> {
    const encodedNew = encodePin(key, newPin);
    try {
      await this.#verifyPin(key, oldPin, options);
      await this.#files.selectFile(PIN_SPECS[key].ef, options);
      await this.session.send(
        {
          cla: CLA.ISO,
          ins: INS.CHANGE_REFERENCE_DATA,
          p1: CHANGE_P1_NEW_ONLY,
          p2: P2_CURRENT_OR_SFI,
          data: encodedNew,
        },
        options,
      );
    } finally {
      encodedNew.fill(0);
    }
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
    const viaSfi = this.knowledge.sfi === true;
    if (!viaSfi) await this.#files.selectFile(keyFile, options);
    const command = {
      cla: CLA.PROPRIETARY,
      ins: INS.PERFORM_SECURITY_OPERATION,
      p1: SIGN_P1_DIGEST_INFO,
      p2: viaSfi ? P2_CURRENT_OR_SFI | keyFile.sfi : P2_CURRENT_OR_SFI,
      data: digestInfo,
      le: SHORT_MAX_LE,
    };
    const response = await this.session.transmit(command, options);
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
    return this.#exclusivePin(() => this.#check(options));
  }

  async #check(options: CheckOptions): Promise<CheckResult> {
    const encoded = encodePin('auth', options.pin);
    const startCount = this.session.exchangeCount;
    const started = performance.now();
    const mark = (() => {
      let last = started;
      return () => {
        const now = performance.now();
        const elapsed = now - last;
        last = now;
        return Math.round(elapsed * 1000) / 1000;
      };
    })();
    try {
      await this.#selectJpki(options);
      const select = mark();
      const status = await this.pinStatus('auth', options);
      this.#guardTry('auth', status, options.allowLastTry === true);
      const pinStatus = mark();
      await this.#verifyEncoded('auth', encoded, options);
      encoded.fill(0);
      const verify = mark();
      const signature = await this.#signDigestInfo(
        JPKI_EF.AUTH_KEY,
        buildDigestInfo(sha256(options.challenge)),
        options,
      );
      const sign = mark();
      const certificate = await this.#files.readObject(AID.JPKI, JPKI_EF.AUTH_CERTIFICATE, options);
      const readCertificate = mark();
      return {
        certificate,
        signature,
        triesLeftBefore: status.triesLeft,
        timings: {
          select,
          pinStatus,
          verify,
          sign,
          readCertificate,
          total: Math.round((performance.now() - started) * 1000) / 1000,
        },
        apduCount: this.session.exchangeCount - startCount,
      };
    } finally {
      encoded.fill(0);
    }
  }

  /** Visual-mode (目視) variant: only the auth certificate, no PIN. */
  async visualCheck(options: TransmitOptions = {}): Promise<{ certificate: Uint8Array; apduCount: number }> {
    const startCount = this.session.exchangeCount;
    const certificate = await this.readCertificate('auth', options);
    return { certificate, apduCount: this.session.exchangeCount - startCount };
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
        ? await this.#files.readObject(AID.TEXT, file, options)
        : await this.#files.readPhysical(AID.TEXT, file, physicalLength, options);
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
    return parseCardFace(await this.#files.readObject(AID.FACE, FACE_EF.CARD_FACE, options));
  }

  /**
   * Closes the session; unpowers the card first if any PIN was verified. On the iPhone token the
   * proprietary last-command indicator `80 FC 00 00` goes out first (jpki-card.md §9; plastic cards
   * would answer it 67 00, so it is sent only after detect() found `JPKIAPIOSTOKEN`).
   */
  async close(): Promise<void> {
    if (this.#kind === 'iphone') {
      try {
        await this.session.transmit({ cla: CLA.PROPRIETARY, ins: INS_LAST_COMMAND_INDICATOR, p1: 0, p2: 0 });
      } catch {
        // The phone may already have left the field; closing is what remains.
      }
    }
    await this.session.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
