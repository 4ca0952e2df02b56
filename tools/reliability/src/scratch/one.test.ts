import { it } from 'vitest';
import { runFuzz } from '../fuzz/fuzz-engine.js';
import { fuzzTarget } from '../fuzz/targets/index.js';

it('one', async () => {
  const target = fuzzTarget(process.env.T ?? 'jpki-files');
  const stats = await runFuzz(target, {
    iterations: Number(process.env.N ?? 3000),
    seed: process.env.S ?? target.name,
    seedContext: { repositoryRoot: '/work/main' },
  });
  console.log(
    target.name,
    stats.executions,
    Math.round(stats.rate),
    'sig',
    stats.signatures,
    'slow',
    stats.slowestMs.toFixed(1),
    'alloc',
    stats.largestAllocation,
    JSON.stringify(stats.errorCodes),
  );
  for (const f of stats.findings)
    console.log(
      '  FINDING',
      f.kind,
      f.message,
      (f.stack ?? '').split('\n').slice(0, 3).join(' | '),
      Buffer.from(f.input).toString('hex').slice(0, 300),
    );
}, 900_000);
