/**
 * `@kakunin/reception`: the reference reception app (server + web UI) for clinics confirming
 * health-insurance qualification with the My Number card.
 *
 * @example
 * ```ts
 * import { createDeskCertificateValidator, createSdkCardReaderFactory, createSimulatorDesk, createSimulatorModule, startReceptionServer } from '@kakunin/reception';
 * const desk = createSimulatorDesk();
 * desk.insert('plastic');
 * const server = await startReceptionServer({
 *   port: 0,
 *   dbPath: ':memory:',
 *   cardReaderFactory: createSdkCardReaderFactory(desk.provider),
 *   certificateValidator: createDeskCertificateValidator(desk),
 *   modules: [createSimulatorModule(desk)],
 * });
 * console.log(server.url);
 * await server.close();
 * ```
 */
export { createSdkCardReaderFactory, defaultSetupFor } from './adapters/sdk-card-reader-factory.js';
export {
  createJpkiCertificateValidator,
  type JpkiCertificateValidatorOptions,
  toReport,
} from './certificates/jpki-certificate-validator.js';
export {
  type JpkiTrustAnchors,
  type LoadedJpkiRoot,
  loadJpkiTrustAnchors,
} from './certificates/jpki-trust-anchors.js';
export { type ReconciliationReport, reconcile } from './checks/reconciliation.js';
export { createSimulatorModule } from './demo/simulator-module.js';
export { claimFor, parseDeclaration } from './fallbacks/declaration-form.js';
export { allowedEvidence, EVIDENCE_TYPES, type EvidenceType } from './fallbacks/fallback-rules.js';
export type { ReceptionModule } from './http/context.js';
export {
  type EnsurePcscdOptions,
  ensurePcscd,
  listeningTcpPorts,
  PCSCD_SOCKET,
  type PcscdService,
  socketAnswers,
} from './pcsc/pcscd-service.js';
export { renderDeclarationPdf } from './pdf/declaration-pdf.js';
export { loadJapaneseFont } from './pdf/japanese-font.js';
export { APP_POLICY } from './policy.js';
export type {
  CardReader,
  CardReaderFactory,
  PinCheckProof,
  PinStatus,
  ReaderChoice,
} from './ports/card-reader.js';
export type {
  CertificateCheck,
  CertificateCheckName,
  CertificateCheckOutcome,
  CertificateReport,
  CertificateRevocation,
  CertificateValidator,
} from './ports/certificate-validator.js';
export {
  type ConfirmRequest,
  type NumbersQueryRequest,
  QUALIFICATION_VALIDITY,
  type QualificationAnswer,
  type QualificationResult,
  type QualificationService,
} from './ports/qualification-service.js';
export {
  createFileQualificationService,
  FileInterfaceError,
  type FileQualificationService,
  type FileQualificationServiceOptions,
} from './qualification/file-qualification-service.js';
export { type NumbersQuery, NumbersQueryError, parseNumbersQuery } from './qualification/numbers-query.js';
export {
  createSqliteQualificationService,
  STAND_IN_CODES,
} from './qualification/sqlite-qualification-service.js';
export { SYNTHETIC_PERSONS } from './qualification/synthetic-persons.js';
export {
  type ReceptionServer,
  type ReceptionServerOptions,
  type ReceptionServices,
  startReceptionServer,
} from './server.js';
export { type CardPresenter, createInProcessCardPresenter } from './simulator/card-presenter.js';
export { DEMO_CARD_LINKS, DEMO_FACILITY, seedDemo } from './simulator/demo-seed.js';
export {
  createDeskCertificateValidator,
  type DeskCertificateValidatorOptions,
} from './simulator/desk-certificate-validator.js';
export {
  createSimulatorDesk,
  DESK_CARDS,
  type DeskCard,
  REVOKED_CARD_REVOKED_AT,
  type SimulatorDesk,
  type SimulatorDeskOptions,
} from './simulator/simulator-desk.js';
export {
  createTestCrlPublisher,
  type TestCrlPublisher,
  type TestCrlPublisherOptions,
  type TestRevocation,
} from './simulator/test-crl-publisher.js';
export {
  createVpcdCardPresenter,
  type VpcdCardPresenterOptions,
} from './simulator/vpcd-card-presenter.js';
export { type FindJpkiRootsOptions, findJpkiRoots } from './startup/find-jpki-roots.js';
export {
  type ReceptionApp,
  type ReceptionAppOptions,
  type ReceptionAppTransport,
  startReceptionApp,
  type TransportChoice,
} from './startup/start-reception-app.js';
export { ERROR_CODE_GUIDANCE, guidanceFor, guidanceForError } from './troubleshooting/error-guidance.js';
export { APP_VERSION } from './version.js';
