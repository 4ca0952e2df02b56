import { REMEDY_KEYS } from '@kakunin/core/transport';
import { describe, expect, it } from 'vitest';
import { guidanceFor } from './error-guidance.js';
import { CODE_GUIDANCE, READER_SETUPS, SDK_ERROR_CODES } from './guidance-table.js';

/** Latin words, field keys, codes or spec references a Japanese screen must not show. */
const DEVELOPER_TEXT =
  /[a-z]+\.md|§|\b[A-Z]{2,}_[A-Z_]+\b|\b[a-z]{2,}[A-Z][a-zA-Z]*\b|\b[a-z]{3,} [a-z]{3,}\b/;
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('the guidance table', () => {
  it('covers every SDK error code for every reader setup with Japanese and English words', () => {
    expect(SDK_ERROR_CODES.length).toBeGreaterThan(50);
    for (const code of SDK_ERROR_CODES) {
      expect(CODE_GUIDANCE[code], `no table entry for ${code}`).toBeDefined();
      for (const setup of READER_SETUPS) {
        const guidance = guidanceFor(code, setup);
        const where = `${code} × ${setup}`;
        for (const text of [
          guidance.title,
          guidance.action,
          ...(guidance.fallback ? [guidance.fallback] : []),
        ]) {
          expect(text.ja, where).toMatch(JAPANESE);
          expect(text.ja, where).not.toMatch(DEVELOPER_TEXT);
          expect(text.en.length, where).toBeGreaterThan(0);
        }
        for (const item of guidance.checklist) expect(item.ja, where).not.toMatch(DEVELOPER_TEXT);
      }
    }
  });

  it('has Japanese words without developer text for every remedy key and setup', () => {
    for (const key of REMEDY_KEYS) {
      for (const setup of READER_SETUPS) {
        const guidance = guidanceFor('REFERENCE', setup, { remedy: key });
        expect(guidance.title.ja, `${key} × ${setup}`).not.toMatch(/[a-z]+\.md|§/);
        expect(guidance.action.ja, `${key} × ${setup}`).not.toMatch(/[a-z]+\.md|§/);
      }
    }
  });

  it('reader errors follow the chosen setup, not the remedy the transport attached (issue 18 problem 7)', () => {
    const wired = guidanceFor('READER_UNAVAILABLE', 'wired-reader', { remedy: 'reader.usb-cable' });
    const phone = guidanceFor('READER_UNAVAILABLE', 'smartphone', { remedy: 'reader.usb-cable' });
    const ble = guidanceFor('READER_UNAVAILABLE', 'ble-reader', { remedy: 'reader.usb-cable' });
    expect(wired.faqSection).toBe('A2-2');
    expect(phone.remedyKey).not.toBe('reader.usb-cable');
    expect(phone.faqSection).toBe('A1-1');
    expect(ble.faqSection).toBe('A2-1');
    expect(new Set([wired.title.ja, phone.title.ja, ble.title.ja]).size).toBe(3);
  });

  it('category ② guidance names the actual cause and the documents of ② (issue 18 problem 2)', () => {
    const expired = guidanceFor('CERT_EXPIRED', 'wired-reader');
    expect(expired.failureCategory).toBe(2);
    expect(expired.action.ja).toContain('資格情報画面は提示できません');
    expect(expired.action.ja).not.toContain('期限切れの場合のみ');
    expect(expired.fallback?.ja).toContain('事前に保存した');
    const blocked = guidanceFor('PIN_BLOCKED', 'wired-reader');
    expect(blocked.action.ja).toContain('キオスク端末');
    expect(blocked.action.ja).toContain('署名用パスワード');
    expect(blocked.title.ja).not.toBe(expired.title.ja);
  });
});
