import { it } from 'vitest';
import { bleRig } from '../faults/ble-rig.js';
import { baseline, runFaultMatrix } from '../faults/fault-runner.js';

it('ble probe', async () => {
  await using rig = await bleRig();
  let t = performance.now();
  const b = await baseline(rig, 'check');
  console.log(
    'baseline check',
    b.transportCommands,
    b.cardCommands,
    (performance.now() - t).toFixed(0),
    'ms',
  );
  t = performance.now();
  await runFaultMatrix(rig, {
    flows: ['check'],
    only: (name) => (process.env.ONLY ?? '').split(',').includes(name),
    onResult: (r) =>
      console.log(r.fault, r.index, r.outcome, r.afterwards, r.durationMs, r.problems.join('; ')),
  });
}, 300_000);
