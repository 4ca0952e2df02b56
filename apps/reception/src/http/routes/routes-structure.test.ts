/**
 * The server's structure holds: handlers reach storage and card readers only through services,
 * and the core does not know the demo's simulator (it is a module the start script adds).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const routeFiles = readdirSync(here).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
const core = ['../../server.ts', '../context.ts', '../router.ts', '../../app/reception-services.ts'];

describe('route groups', () => {
  it('run no SQL and drive no card reader', () => {
    expect(routeFiles.length).toBeGreaterThanOrEqual(6);
    for (const name of routeFiles) {
      const text = readFileSync(`${here}${name}`, 'utf8');
      expect(text, name).not.toMatch(/\b(SELECT|INSERT|UPDATE|DELETE)\b\s/);
      expect(text, name).not.toMatch(/database\.|\.prepare\(|readers\.open|waitForCard|readAuthCertificate/);
    }
  });
  it('the core imports nothing of the simulator or the demo', () => {
    for (const name of [...routeFiles.map((file) => `./${file}`), ...core]) {
      const text = readFileSync(new URL(name, import.meta.url), 'utf8');
      expect(text, name).not.toMatch(/from '[./]*(simulator|demo)\//);
    }
  });
});
