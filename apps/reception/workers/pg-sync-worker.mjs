// Worker thread of the reception app's PostgreSQL adapter (src/storage/postgres-database.ts).
// The app's services speak to storage synchronously (the ReceptionDatabase port, as with SQLite);
// this thread owns the one `pg` connection and runs each statement on its own event loop while the
// main thread waits on a SharedArrayBuffer flag (Atomics.wait), then reads the answer with
// receiveMessageOnPort. A lost connection (PostgreSQL restarted) is re-opened on the next
// statement, retrying for `reconnectMs`; a statement that failed inside a transaction is not
// retried (the transaction is gone) and the caller sees STORAGE_UNAVAILABLE.
// Plain JavaScript: a worker loads its file directly, without a TypeScript build.
import { workerData } from 'node:worker_threads';
import pg from 'pg';

const { connectionString, flag: flagBuffer, port, desk, reconnectMs, statementTimeoutMs } = workerData;
const flag = new Int32Array(flagBuffer);
// INT8 (COUNT(*), bigint sums) as JS numbers: every count the app reads is far below 2^53.
pg.types.setTypeParser(20, (value) => Number(value));

let client;
let inTransaction = false;

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOENT',
  'ETIMEDOUT',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up / shutting down)
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);

function isConnectionError(error) {
  if (error === null || typeof error !== 'object') return false;
  if (CONNECTION_CODES.has(error.code)) return true;
  return /Connection terminated|not queryable|Client has encountered a connection error/i.test(
    String(error.message),
  );
}

async function connect() {
  const next = new pg.Client({
    connectionString,
    statement_timeout: statementTimeoutMs,
    application_name: `kakunin-reception ${desk}`,
  });
  next.on('error', () => {
    // The socket died between statements: forget this client, reconnect on the next statement.
    if (client === next) client = undefined;
  });
  await next.connect();
  await next.query("SELECT set_config('kakunin.desk', $1, false)", [desk]);
  client = next;
}

async function dropClient() {
  const old = client;
  client = undefined;
  inTransaction = false;
  if (old !== undefined) await old.end().catch(() => undefined);
}

async function run(sql, params) {
  const deadline = Date.now() + reconnectMs;
  for (;;) {
    try {
      if (client === undefined) {
        if (inTransaction)
          throw Object.assign(new Error('connection lost inside a transaction'), { code: '08006' });
        await connect();
      }
      return await client.query(sql, params);
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      const wasInTransaction = inTransaction;
      await dropClient();
      if (wasInTransaction || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

port.on('message', async (request) => {
  let reply;
  try {
    if (request.op === 'close') {
      await dropClient();
      reply = { ok: true };
    } else {
      const started = request.op === 'begin';
      const result = await run(request.sql, request.params);
      if (started) inTransaction = true;
      if (request.op === 'end') inTransaction = false;
      reply = { ok: true, rows: result.rows ?? [], rowCount: result.rowCount ?? 0 };
    }
  } catch (error) {
    if (request.op === 'end') inTransaction = false;
    reply = {
      ok: false,
      error: {
        message: String(error?.message ?? error),
        code: typeof error?.code === 'string' ? error.code : undefined,
        connection: isConnectionError(error),
      },
    };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
