/**
 * Test helper: a reception server on a free port over the in-process virtual card desk, with its
 * database in a fresh temporary directory (or the path given).
 *
 * @example
 * ```ts
 * await using harness = await startTestServer();
 * const client = new ApiClient(harness.server.url);
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSdkCardReaderFactory } from '../adapters/sdk-card-reader-factory.js';
import { type ReceptionServer, type ReceptionServerOptions, startReceptionServer } from '../server.js';
import { createDeskCertificateValidator } from '../simulator/desk-certificate-validator.js';
import { createSimulatorDesk, type SimulatorDesk } from '../simulator/simulator-desk.js';

export interface TestServer extends AsyncDisposable {
  readonly server: ReceptionServer;
  readonly desk: SimulatorDesk;
  readonly directory: string;
  readonly dbPath: string;
  close(): Promise<void>;
}

export async function startTestServer(
  options: Partial<Omit<ReceptionServerOptions, 'cardReaderFactory' | 'certificateValidator'>> & {
    readonly keepDirectory?: boolean;
  } = {},
): Promise<TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'kakunin-test-'));
  const dbPath = options.dbPath ?? join(directory, 'reception.db');
  const desk = createSimulatorDesk();
  const server = await startReceptionServer({
    port: 0,
    ...options,
    dbPath,
    cardReaderFactory: createSdkCardReaderFactory(desk.provider),
    certificateValidator: createDeskCertificateValidator(desk),
  });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await server.close();
      await desk.provider.close();
      if (options.keepDirectory !== true) rmSync(directory, { recursive: true, force: true });
    })();
    return closing;
  };
  return { server, desk, directory, dbPath, close, [Symbol.asyncDispose]: close };
}
