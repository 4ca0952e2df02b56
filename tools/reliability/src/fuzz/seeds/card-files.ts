/**
 * The card-info and card-face files of the simulator's default card, read raw (as the card
 * returns them, filler included) through `MyNumberCard.readFile`: 個人番号 (EF 0001), 基本4情報
 * (EF 0002), the integrity record (EF 0003), the CV certificate (EF 0004) and the card face.
 *
 * @example
 * ```ts
 * const files = await cardFiles();
 * parseBasicFour(files.basicFour);
 * ```
 */
import { AID, FACE_EF, MyNumberCard, TEXT_EF } from '@kakunin/core/jpki';
import { createCardProfile, SimulatorProvider, VirtualMyNumberCard } from '@kakunin/simulator';
import { testKeyStore } from '../../support/key-store.js';

export interface CardFiles {
  readonly myNumber: Uint8Array;
  readonly basicFour: Uint8Array;
  readonly integrity: Uint8Array;
  readonly cvCertificate: Uint8Array;
  readonly cardFace: Uint8Array;
}

let cached: Promise<CardFiles> | undefined;

async function read(): Promise<CardFiles> {
  const profile = createCardProfile('plastic', { keyStore: testKeyStore() });
  const provider = new SimulatorProvider({ card: new VirtualMyNumberCard(profile.image) });
  const card = MyNumberCard.open(await provider.connect(provider.readerId));
  try {
    await card.verifyPin('text', profile.credentials.cardInfoPin);
    const myNumber = await card.readFile(AID.TEXT, TEXT_EF.MY_NUMBER, { length: 17 });
    const basicFour = await card.readFile(AID.TEXT, TEXT_EF.BASIC_FOUR);
    const integrity = await card.readFile(AID.TEXT, TEXT_EF.INTEGRITY);
    const cvCertificate = await card.readFile(AID.TEXT, TEXT_EF.CV_CERTIFICATE);
    await card.verifyPin('faceA', profile.credentials.verificationNumberA);
    const cardFace = await card.readFile(AID.FACE, FACE_EF.CARD_FACE);
    return { myNumber, basicFour, integrity, cvCertificate, cardFace };
  } finally {
    await card.close();
    await provider.close();
  }
}

/** The files (read once per process). */
export function cardFiles(): Promise<CardFiles> {
  cached ??= read();
  return cached;
}
