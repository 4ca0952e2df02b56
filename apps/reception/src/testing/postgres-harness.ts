/**
 * Test and load-run helper: a real PostgreSQL server (Debian's `postgresql` package) in a temporary
 * data directory, listening only on a unix socket in that directory (no TCP port to collide on).
 * As root it runs as the `postgres` user (PostgreSQL refuses to run as root) through runuser.
 * Anything missing or failing throws with the tool's output: the storage suite never skips.
 *
 * @example
 * ```ts
 * const postgres = await startPostgres();
 * const url = await postgres.createDatabase('suite1'); // postgres://postgres@/suite1?host=…
 * await postgres.stop();
 * ```
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PostgresServer extends AsyncDisposable {
  readonly directory: string;
  readonly socketDirectory: string;
  readonly version: string;
  /** A URL for `database` (created by {@link createDatabase}). */
  url(database: string): string;
  createDatabase(name: string): Promise<string>;
  /** Stops (fast) and starts the server again on the same data directory. */
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

const PORT = 5432;

function binDirectory(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(join(root, name, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl): run scripts/setup.sh (apt-get install postgresql)',
    );
  }
  return join(root, versions[0]!, 'bin');
}

function userIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  if (!Number.isInteger(uid)) throw new Error('running as root needs the `postgres` user to run PostgreSQL');
  return { uid, gid };
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = binDirectory();
  const owner = userIds();
  const directory = mkdtempSync(join(tmpdir(), 'kakunin-pg-'));
  const data = join(directory, 'data');
  chmodSync(directory, 0o700);
  if (owner !== undefined) chownSync(directory, owner.uid, owner.gid);
  const run = (tool: string, args: string[], timeoutMs = 60_000): string => {
    const command = owner === undefined ? join(bin, tool) : 'runuser';
    const argv = owner === undefined ? args : ['-u', 'postgres', '--', join(bin, tool), ...args];
    const result = spawnSync(command, argv, { encoding: 'utf8', timeout: timeoutMs, cwd: directory });
    if (result.status !== 0) {
      throw new Error(
        `PostgreSQL ${tool} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}\n${result.stderr}`,
      );
    }
    return result.stdout;
  };
  run('initdb', [
    '-D',
    data,
    '--auth=trust',
    '--username=postgres',
    '--encoding=UTF8',
    '--locale=C.UTF-8',
    '-N',
  ]);
  const start = (): void => {
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      join(directory, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-c listen_addresses='' -k ${directory} -p ${PORT} -c fsync=off -c max_connections=200`,
      'start',
    ]);
  };
  start();
  const url = (database: string): string =>
    `postgres://postgres@/${database}?host=${encodeURIComponent(directory)}&port=${PORT}`;
  const admin = async <T>(body: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url('postgres') });
    await client.connect();
    try {
      return await body(client);
    } finally {
      await client.end();
    }
  };
  const version = await admin(async (client) =>
    String((await client.query('SHOW server_version')).rows[0].server_version),
  );
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  };
  return {
    directory: data,
    socketDirectory: directory,
    version,
    url,
    async createDatabase(name) {
      if (!/^[a-z][a-z0-9_]{0,40}$/.test(name)) throw new RangeError('database name: a-z, 0-9, _');
      await admin((client) => client.query(`CREATE DATABASE ${name}`));
      return url(name);
    },
    async restart(options = {}) {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      await new Promise((resolve) => setTimeout(resolve, options.downMs ?? 0));
      start();
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
