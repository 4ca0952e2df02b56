import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquirePcscdLock } from './pcscd-lock.js';

const directory = mkdtempSync(join(tmpdir(), 'kakunin-lock-test-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('acquirePcscdLock', () => {
  it('gives the lock to one holder at a time, in turn', async () => {
    const path = join(directory, 'turns.lock');
    const first = await acquirePcscdLock({ path });
    expect(readFileSync(path, 'utf8')).toMatch(new RegExp(`^${process.pid} `));
    let secondHeld = false;
    const second = acquirePcscdLock({ path }).then((lock) => {
      secondHeld = true;
      return lock;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(secondHeld).toBe(false);
    await first.release();
    const lock = await second;
    expect(secondHeld).toBe(true);
    await lock.release();
    await lock.release(); // idempotent
  });

  it('takes over a lock whose holder died, and times out on a live one', async () => {
    const stale = join(directory, 'stale.lock');
    writeFileSync(stale, '2147483646 left-behind');
    const lock = await acquirePcscdLock({ path: stale, timeoutMs: 2000 });
    await lock.release();

    const live = join(directory, 'live.lock');
    writeFileSync(live, `${process.pid} someone-else`);
    await expect(acquirePcscdLock({ path: live, timeoutMs: 300 })).rejects.toThrow(/held by/);
  });
});
