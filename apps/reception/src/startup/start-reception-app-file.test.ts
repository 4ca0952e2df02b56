/**
 * The app started against a 資格確認端末 folder (`--qualification file-standin:<dir>`): the stand-in
 * 連携アプリ runs as a child process, a PIN card check and a by-numbers check both go through real
 * req/res files, and closing the app stops the child.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient, settleCheck } from '../testing/api-client.js';
import { startTestApp } from '../testing/test-app.js';
import { DEMO_PASSWORD } from '../testing/test-server.js';
import { parseQualificationChoice } from './start-reception-app.js';

const PASSWORD = DEMO_PASSWORD;

describe('startReceptionApp with the file interface', () => {
  const directories: string[] = [];
  afterAll(async () => {
    for (const directory of directories) await rm(directory, { recursive: true, force: true });
  });

  it('parses the --qualification values and refuses others', () => {
    expect(parseQualificationChoice('builtin')).toEqual({ kind: 'built-in' });
    expect(parseQualificationChoice('file:/srv/oqs', 'UTF-8')).toEqual({
      kind: 'file',
      directory: '/srv/oqs',
      standIn: false,
      encoding: 'UTF-8',
    });
    expect(() => parseQualificationChoice('oqs')).toThrow(RangeError);
  });

  for (const encoding of ['Shift_JIS', 'UTF-8'] as const) {
    it(`runs a PIN card check and a by-numbers check through req/res files (${encoding})`, async () => {
      const directory = await mkdtemp(join(tmpdir(), 'kakunin-oqs-app-'));
      directories.push(directory);
      const app = await startTestApp('sim', {
        qualification: { kind: 'file', directory, standIn: true, encoding },
      });
      const pid = app.oqsStandInPid;
      expect(pid).toBeTypeOf('number');
      expect(process.kill(pid!, 0)).toBe(true);
      try {
        expect(app.fileInterface).toBeDefined();
        const client = new ApiClient(app.server.url);
        await client.post('/api/device/register', {
          accountId: 'demo',
          password: PASSWORD,
          deviceName: 'pc',
        });
        await client.post('/api/passcode/setup', { passcode: '2468' });
        const state = await client.get('/api/state');
        expect(state.json.standIn).toBe(false);
        expect(state.json.qualificationLabel.ja).toContain('ファイル連携');

        app.desk!.reset('plastic');
        app.desk!.insert('plastic');
        const started = await client.post('/api/checks', { mode: 'pin' });
        expect((await settleCheck(client, started.json.id)).json.status).toBe('pin-entry');
        const done = await client.post(
          `/api/checks/${started.json.id}/pin`,
          new TextEncoder().encode('1234'),
        );
        expect(done.json.status).toBe('result');
        expect(done.json.answer.header.referenceClassification).toBe('1');
        expect(done.json.answer.body.resultList[0].name).toBe('試験　太郎');

        const byNumbers = await client.post('/api/checks/by-numbers', {
          insurerNumber: '01130012',
          symbol: '5001',
          number: '42',
          branch: '',
          birthDate: '1975-11-23',
        });
        expect(byNumbers.json.status).toBe('result');
        expect(byNumbers.json.answer.body.resultList[0].name).toBe('見本　花子');
        expect(app.fileInterface!.stats().timeouts).toBe(0);
        expect(await readdir(join(directory, 'res'))).toEqual([]);
      } finally {
        await app.close();
      }
      // The stand-in child is gone with the app.
      expect(() => process.kill(pid!, 0)).toThrow(/ESRCH/);
    });
  }
});
