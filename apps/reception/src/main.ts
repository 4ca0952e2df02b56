/**
 * `kakunin-reception`: starts the reception app and prints its URL. The default needs no hardware:
 * the virtual card desk through real pcscd + vpcd (pcscd is started when it is not running and we
 * are root), falling back to the in-process card with a printed notice, and the built-in
 * qualification stand-in.
 *
 *   kakunin-reception [--port 8780] [--host 127.0.0.1] [--allow-host NAME]... [--db .kakunin/reception.db | --db postgres://…]
 *                     [--desk NAME] [--state-dir DIR]
 *                     [--transport auto|sim|pcsc] [--trust-roots DIR]
 *                     [--demo-password PASSWORD] [--card plastic]
 *                     [--qualification builtin|file:DIR|file-standin:DIR] [--qualification-encoding shift_jis|utf-8]
 *
 * `file:DIR` sends qualification queries through a 資格確認端末's file interface (DIR/req, DIR/res);
 * `file-standin:DIR` also starts kakunin's stand-in 連携アプリ on DIR (demo).
 */
import { parseArgs } from 'node:util';
import { DESK_CARDS, type DeskCard } from './simulator/simulator-desk.js';
import {
  parseQualificationChoice,
  type QualificationChoice,
  type ReceptionApp,
  startReceptionApp,
  type TransportChoice,
} from './startup/start-reception-app.js';
import type { StartedMessage } from './startup/supervisor.js';

const DEFAULT_PORT = 8780;
const DEMO_ACCOUNT = 'demo';
const USAGE =
  'usage: kakunin-reception [--port N] [--host H] [--allow-host NAME]... [--db PATH|postgres://…] [--desk NAME] [--state-dir DIR] [--transport auto|sim|pcsc] [--trust-roots DIR] [--demo-password P] [--card PROFILE] [--qualification builtin|file:DIR|file-standin:DIR] [--qualification-encoding shift_jis|utf-8]\n';

function describeTransport(app: ReceptionApp): string {
  const { transport } = app;
  if (transport.active === 'vpcd')
    return `virtual card desk through pcscd + vpcd ("${transport.readerId}"${transport.startedPcscd ? ', pcscd started by this app' : ''})`;
  if (transport.active === 'in-process') return 'virtual card desk (in-process simulator)';
  return 'PC/SC readers (pcscd)';
}

export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'allow-host': { type: 'string', multiple: true },
      db: { type: 'string' },
      desk: { type: 'string' },
      'state-dir': { type: 'string' },
      transport: { type: 'string' },
      'trust-roots': { type: 'string' },
      'demo-password': { type: 'string' },
      card: { type: 'string' },
      qualification: { type: 'string' },
      'qualification-encoding': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  const transport = values.transport ?? 'auto';
  if (transport !== 'auto' && transport !== 'sim' && transport !== 'pcsc') {
    process.stderr.write(`unknown --transport ${transport}; use auto|sim|pcsc\n${USAGE}`);
    return 2;
  }
  const card = values.card ?? 'plastic';
  if (!(DESK_CARDS as readonly string[]).includes(card)) {
    process.stderr.write(`unknown --card ${card}; use ${DESK_CARDS.join('|')}\n`);
    return 2;
  }
  const encodingName = values['qualification-encoding']?.toLowerCase();
  if (encodingName !== undefined && encodingName !== 'shift_jis' && encodingName !== 'utf-8') {
    process.stderr.write(`unknown --qualification-encoding ${encodingName}; use shift_jis|utf-8\n`);
    return 2;
  }
  let qualification: QualificationChoice;
  try {
    qualification = parseQualificationChoice(
      values.qualification ?? 'builtin',
      encodingName === undefined ? undefined : encodingName === 'utf-8' ? 'UTF-8' : 'Shift_JIS',
    );
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  const dbPath = values.db ?? '.kakunin/reception.db';
  const password = values['demo-password'] ?? process.env.KAKUNIN_DEMO_PASSWORD ?? 'kakunin-demo';
  const app = await startReceptionApp({
    transport: transport as TransportChoice,
    port,
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values['allow-host'] === undefined ? {} : { allowedHosts: values['allow-host'] }),
    dbPath,
    ...(values.desk === undefined ? {} : { desk: values.desk }),
    ...(values['state-dir'] === undefined ? {} : { stateDirectory: values['state-dir'] }),
    card: card as DeskCard,
    demoPassword: password,
    qualification,
    ...(values['trust-roots'] === undefined ? {} : { trustRoots: values['trust-roots'] }),
  });
  // A pcscd this app started must not outlive it (the exit hook can only signal, synchronously).
  // Same for the stand-in 連携アプリ this app started (file-standin).
  const onExit = (): void => {
    for (const pid of [app.transport.pcscdPid, app.oqsStandInPid]) {
      if (pid === undefined) continue;
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
  };
  process.once('exit', onExit);
  if (app.transport.notice !== undefined) {
    process.stderr.write(
      `kakunin reception: NOTICE: using the in-process virtual card instead of pcscd/vpcd: ${app.transport.notice}\n`,
    );
  }
  const chain = app.server.services.auditAtStart;
  if (!chain.ok) {
    process.stderr.write(
      `kakunin reception: WARNING: the audit log does not verify (${chain.reason} at #${chain.brokenAt}); see 診断\n`,
    );
  }
  process.stdout.write(`kakunin reception: ${app.server.url}\n`);
  process.stdout.write(
    `  demo account: ${DEMO_ACCOUNT} / ${values['demo-password'] === undefined && process.env.KAKUNIN_DEMO_PASSWORD === undefined ? password : '(as given)'}\n`,
  );
  process.stdout.write(`  card reader: ${describeTransport(app)}\n`);
  if (app.transport.pcscdPid !== undefined)
    process.stdout.write(`  pcscd: pid ${app.transport.pcscdPid} (stopped with this app)\n`);
  const roots = app.trust;
  process.stdout.write(
    `  certificates: @kakunin/core/x509 JPKI validation; J-LIS roots: ${
      roots === undefined || roots.loaded.length === 0
        ? 'none found (set --trust-roots or KAKUNIN_JPKI_ROOTS)'
        : `${roots.loaded.map((root) => root.id).join(', ')} (${
            roots.loaded.some((root) => root.source === 'added')
              ? `added ones from ${roots.directory}`
              : `built in; kakunin trust add stores more in ${roots.directory}`
          })`
    }${app.desk === undefined ? '' : '; test CA of the virtual cards opted in, with its CRLs'}\n`,
  );
  process.stdout.write(
    qualification.kind === 'file'
      ? `  qualification: 資格確認端末 file interface in ${qualification.directory}${qualification.standIn === true ? ' (stand-in 連携アプリ started by this app, not the national system)' : ''}\n`
      : '  qualification: built-in stand-in (not the national system)\n',
  );
  const storage = app.server.services.database;
  process.stdout.write(
    `  storage: ${storage.serverVersion}${storage.kind === 'postgres' ? ` (shared; this desk: ${storage.desk})` : ''}\n`,
  );
  // A clean close on SIGTERM/SIGINT (repeats ignored: Ctrl-C reaches this process directly and
  // through the supervisor). The bound on it is the supervisor's (startup/supervisor.ts): a PC/SC
  // call into a wedged pcscd can block this thread, and no handler or timer here would run.
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    try {
      await app.close();
    } catch (error) {
      process.stderr.write(`kakunin reception: error while closing: ${(error as Error).message}\n`);
    }
    process.off('exit', onExit);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  // Tell the supervisor what to kill should this process hang; stop when it goes away.
  const pids = [app.transport.pcscdPid, app.oqsStandInPid].filter((pid) => pid !== undefined);
  if (process.send !== undefined) {
    process.send({ kakunin: 'started', pids } satisfies StartedMessage);
    process.once('disconnect', () => void stop());
  }
  return 0;
}
