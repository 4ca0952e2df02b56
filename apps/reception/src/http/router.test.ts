import { describe, expect, it } from 'vitest';
import { Router } from './router.js';

describe('Router', () => {
  it('matches method and path, hands over named parameters, first declaration wins', () => {
    const router = new Router<string>();
    const calls: string[] = [];
    router.get('/api/checks/:id', (context, params) => void calls.push(`get ${context} ${params.id}`));
    router.post('/api/checks/:id/pin', (_context, params) => void calls.push(`pin ${params.id}`));
    router.get('/api/checks/history', () => void calls.push('never: declared after :id'));
    const found = router.match('GET', '/api/checks/abc_1-2');
    expect(found?.params).toEqual({ id: 'abc_1-2' });
    void found?.handler('ctx', found.params);
    expect(calls).toEqual(['get ctx abc_1-2']);
    expect(router.match('POST', '/api/checks/x/pin')?.params).toEqual({ id: 'x' });
    expect(router.match('GET', '/api/checks/history')?.params).toEqual({ id: 'history' });
  });

  it('does not match another method, another length, or a parameter outside [A-Za-z0-9_-]', () => {
    const router = new Router<void>();
    router.get('/api/checks/:id', () => undefined);
    expect(router.match('POST', '/api/checks/a')).toBeUndefined();
    expect(router.match('GET', '/api/checks')).toBeUndefined();
    expect(router.match('GET', '/api/checks/a/b')).toBeUndefined();
    expect(router.match('GET', '/api/checks/a.b')).toBeUndefined();
    expect(router.match('GET', '/api/checks/%2e%2e')).toBeUndefined();
  });

  it('refuses a duplicate route, a relative pattern and a bad parameter name', () => {
    const router = new Router<void>();
    router.get('/a', () => undefined);
    expect(() => router.get('/a', () => undefined)).toThrow(TypeError);
    expect(() => router.get('a', () => undefined)).toThrow(TypeError);
    expect(() => router.get('/a/:1x', () => undefined)).toThrow(TypeError);
    expect(router.list()).toEqual(['GET /a']);
  });
});
