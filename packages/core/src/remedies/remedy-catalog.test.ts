import { describe, expect, it } from 'vitest';
import { isRemedyKey, REMEDY_KEYS } from '../transport/remedy-keys.js';
import { FAQ_CHECKLISTS, remedyCatalog, troubleshoot } from './remedy-catalog.js';

describe('troubleshooting catalogue', () => {
  it('has Japanese and English text for every key, and focus ids that exist in its checklist', () => {
    for (const key of REMEDY_KEYS) {
      const remedy = remedyCatalog[key];
      expect(remedy.key).toBe(key);
      expect(remedy.title.ja).toMatch(/[ぁ-んァ-ン一-龯]/);
      expect(remedy.title.en.length).toBeGreaterThan(3);
      for (const focus of remedy.focus ?? []) {
        const ids = Object.values(FAQ_CHECKLISTS[remedy.checklist!]).flatMap((list) =>
          list.map((item) => item.id),
        );
        expect(ids, `${key} focus ${focus}`).toContain(focus);
      }
    }
  });

  it('keeps the FAQ order for the wired-reader connection checklist (Q2 A2-2)', () => {
    const guide = troubleshoot('reader.usb-cable', 'wired-reader');
    expect(guide.checklist.map((item) => item.id)).toEqual([
      'restart',
      'supported-device',
      'usb-cable',
      'reader-recognised',
      'driver',
      'reader-mode',
    ]);
    expect(guide.checklist.filter((item) => item.focus).map((item) => item.id)).toEqual([
      'usb-cable',
      'reader-recognised',
    ]);
    expect(guide.fallback).toBeUndefined();
  });

  it('adds the flyer fallback for a damaged card and a blocked PIN', () => {
    expect(troubleshoot('card.damaged', 'smartphone').fallback?.ja).toContain('マイナポータル');
    expect(troubleshoot('pin.blocked', 'ble-reader').fallback).toBeDefined();
  });

  it('rejects unknown keys', () => {
    expect(() => troubleshoot('nope' as never, 'smartphone')).toThrow(RangeError);
    expect(isRemedyKey('card.moved')).toBe(true);
    expect(isRemedyKey('card.nope')).toBe(false);
  });
});
