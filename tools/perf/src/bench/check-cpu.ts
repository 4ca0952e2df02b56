/**
 * Bench script (registered in tools/bench/scripts.json as `check-cpu`): the SDK's own CPU time per
 * PIN-mode check with an instant replay transport, for an extended-capable and a short-only link.
 * Prints a summary on stderr and one JSON line on stdout (tools/bench/run.mjs reads the last line).
 *
 * Run after the build: `node tools/perf/dist/check-cpu.js [--runs N]`.
 */
import { cpus } from 'node:os';
import { defaultKeyCacheDirectory, TestKeyStore } from '@kakunin/simulator';
import { type LinkModeName, linkMode } from '../link-modes.js';
import { measureReplayCpu, type ReplayCpuFigures, recordCheck } from '../replay-cpu.js';

/** The target for the SDK's CPU time per check. */
const TARGET_CPU_MS = 1;

function runsArgument(): number | undefined {
  const index = process.argv.indexOf('--runs');
  if (index < 0) return undefined;
  const runs = Number(process.argv[index + 1]);
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError('--runs must be a positive integer');
  return runs;
}

const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
const runs = runsArgument();
const results: Record<string, ReplayCpuFigures> = {};
for (const name of ['extended', 'short-link'] as const satisfies readonly LinkModeName[]) {
  const recorded = await recordCheck(linkMode(name), { keyStore });
  results[name] = await measureReplayCpu(recorded, runs === undefined ? {} : { runs });
}

process.stderr.write('\nPIN-mode check, CPU per check with an instant replay transport (target < 1 ms)\n');
for (const [name, figures] of Object.entries(results)) {
  process.stderr.write(
    `${name.padEnd(12)} ${figures.apduCount} APDUs  CPU ${figures.cpuMsPerCheck.toFixed(3)} ms/check ` +
      `(replay transport ${figures.replayOnlyCpuMsPerCheck.toFixed(3)} ms, SDK ${figures.sdkCpuMsPerCheck.toFixed(3)} ms), ` +
      `wall ${figures.wallMsPerCheck.toFixed(3)} ms, ${figures.runs} runs\n`,
  );
}
process.stdout.write(
  `${JSON.stringify({
    targetCpuMs: TARGET_CPU_MS,
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, platform: process.platform },
    node: process.version,
    results,
  })}\n`,
);
