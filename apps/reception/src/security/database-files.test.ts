/**
 * Issue 15 row 10, through the real server under umask 022: before, `.kakunin/` was 0755 and
 * `reception.db` 0644 — personal data and password hashes readable by every local user. Now the
 * directory is 0700 and the database, WAL and SHM files 0600, checked (and fixed or refused) at start.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabasePermissionError } from '../storage/file-permissions.js';
import { setupFacility, startTestServer } from '../testing/test-server.js';

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('database file permissions (umask 022)', () => {
  let previousUmask: number;
  let root: string;
  beforeAll(() => {
    previousUmask = process.umask(0o022);
    root = mkdtempSync(join(tmpdir(), 'kakunin-perm-'));
  });
  afterAll(() => {
    process.umask(previousUmask);
    rmSync(root, { recursive: true, force: true });
  });

  const exercise = async (dbPath: string): Promise<void> => {
    await using harness = await startTestServer({ dbPath });
    await setupFacility(harness);
    const directory = join(dbPath, '..');
    const files = readdirSync(directory).filter((name) => name.startsWith('reception.db'));
    expect(files).toEqual(expect.arrayContaining(['reception.db', 'reception.db-wal', 'reception.db-shm']));
    expect(mode(directory).toString(8)).toBe('700');
    for (const name of files) expect([name, mode(join(directory, name)).toString(8)]).toEqual([name, '600']);
  };

  it('fixes a world-readable .kakunin/ (0755) and reception.db (0644) left by an earlier version', async () => {
    const directory = join(root, 'old', '.kakunin');
    mkdirSync(directory, { recursive: true, mode: 0o755 });
    chmodSync(directory, 0o755);
    writeFileSync(join(directory, 'reception.db'), '', { mode: 0o644 });
    chmodSync(join(directory, 'reception.db'), 0o644);
    await exercise(join(directory, 'reception.db'));
  });

  it('creates a missing directory 0700 and the files 0600', async () => {
    await exercise(join(root, 'fresh', '.kakunin', 'reception.db'));
  });

  it('refuses a directory other users may write into', async () => {
    const directory = join(root, 'shared');
    mkdirSync(directory, { mode: 0o777 });
    chmodSync(directory, 0o777);
    const started = startTestServer({ dbPath: join(directory, 'reception.db') });
    await expect(started).rejects.toBeInstanceOf(DatabasePermissionError);
    await expect(started).rejects.toMatchObject({ code: 'DATABASE_NOT_PRIVATE' });
  });
});
