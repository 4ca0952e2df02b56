import { it } from 'vitest';
import { saveCrash } from '../fuzz/crash-corpus.js';
import { runFuzz } from '../fuzz/fuzz-engine.js';
import { FUZZ_TARGETS } from '../fuzz/targets/index.js';

it('explore', async () => {
  for (const target of FUZZ_TARGETS) {
    if (process.env.ONLY && !process.env.ONLY.split(',').includes(target.name)) continue;
    const stats = await runFuzz(target, {
      iterations: Number(process.env.N ?? 3000),
      seed: `${process.env.S ?? 'x'}:${target.name}`,
      seedContext: { repositoryRoot: '/work/main' },
      onFinding: (f) => {
        void saveCrash(f, '/tmp/kakunin-findings');
      },
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
        Buffer.from(f.input).toString('hex').slice(0, 200),
      );
  }
}, 3_600_000);
