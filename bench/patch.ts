// Patch engine benchmark: 1,000 drifts across 200 files, patched and verified, in both
// directions. Prints the one-off load time (tree-sitter grammar, HCL formatter, hcl2-parser)
// and the time of each run. Run with `npx tsx bench/patch.ts`.
import os from 'node:os';
import { buildPatchSet, loadPatchEngine } from '../src/patch/build-patch-set.js';
import type { PatchDirection, PatchSet } from '../src/patch/types.js';
import { benchCorpus } from './patch-corpus.js';

function summary(set: PatchSet): string {
  const counts: Record<string, number> = {};
  for (const patch of set.patches) counts[patch.status] = (counts[patch.status] ?? 0) + 1;
  return Object.entries(counts)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
}

const corpus = benchCorpus(200, 5);
console.log(`corpus: ${corpus.files.length} files, ${corpus.targets.length} drifts, ${corpus.targets.reduce((n, t) => n + t.changes.length, 0)} changes`);

console.log(`machine: ${os.cpus().length} CPUs, load average ${os.loadavg()[0]?.toFixed(1)} (other processes slow the wall-clock figures; CPU time is this process only)`);
const loadStart = performance.now();
const parser = await loadPatchEngine();
const loadMs = performance.now() - loadStart;
console.log(`load (tree-sitter + formatter + hcl2-parser, once per process): ${loadMs.toFixed(0)} ms`);

for (const direction of ['restore', 'accept'] as PatchDirection[]) {
  const runs: { wall: number; cpu: number }[] = [];
  let last: PatchSet | null = null;
  for (let run = 0; run < 3; run++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    last = buildPatchSet({ direction, files: corpus.files, model: corpus.model, targets: corpus.targets, parser });
    const used = process.cpuUsage(cpu);
    runs.push({ wall: performance.now() - start, cpu: (used.user + used.system) / 1000 });
  }
  const [first, ...rest] = runs as [{ wall: number; cpu: number }, ...{ wall: number; cpu: number }[]];
  const best = rest.reduce((a, b) => (b.wall < a.wall ? b : a));
  console.log(
    `${direction}: first run ${first.wall.toFixed(0)} ms wall / ${first.cpu.toFixed(0)} ms CPU (${(first.wall + loadMs).toFixed(0)} ms with the load); ` +
      `warm run ${best.wall.toFixed(0)} ms wall / ${best.cpu.toFixed(0)} ms CPU; ${last?.files.length ?? 0} files changed; ${last ? summary(last) : ''}`,
  );
}
