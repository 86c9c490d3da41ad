// Patch engine benchmark: 1,000 drifts across 200 files, patched and verified, in both
// directions. Prints the load time (tree-sitter grammar and HCL formatter in this thread;
// hcl2-parser starts loading in its worker thread and finishes during the first run), then per
// direction the first run in this process and the best of two later runs over corpora with other
// names and values (nothing cached from the first run answers them: what a long-running app sees
// on its next repository). Run with `npx tsx bench/patch.ts`.
import os from 'node:os';
import { buildPatchSet, loadPatchEngine } from '../src/patch/build-patch-set.js';
import type { PatchDirection, PatchSet } from '../src/patch/types.js';
import { benchCorpus, type BenchCorpus } from './patch-corpus.js';

function summary(set: PatchSet): string {
  const counts: Record<string, number> = {};
  for (const patch of set.patches) counts[patch.status] = (counts[patch.status] ?? 0) + 1;
  return Object.entries(counts)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
}

const corpora = [0, 1000, 2000, 3000, 4000, 5000].map((firstFile) => benchCorpus(200, 5, firstFile));
const first = corpora[0] as BenchCorpus;
console.log(`corpus: ${first.files.length} files, ${first.targets.length} drifts, ${first.targets.reduce((n, t) => n + t.changes.length, 0)} changes`);

console.log(`machine: ${os.cpus().length} CPUs, load average ${os.loadavg()[0]?.toFixed(1)} (other processes slow the wall-clock figures; CPU time counts every thread of this process)`);
const loadStart = performance.now();
const engine = await loadPatchEngine();
const loadMs = performance.now() - loadStart;
console.log(`load (tree-sitter + formatter; hcl2-parser goes on loading in its worker): ${loadMs.toFixed(0)} ms`);

let next = 0;
for (const direction of ['restore', 'accept'] as PatchDirection[]) {
  const runs: { wall: number; cpu: number }[] = [];
  let last: PatchSet | null = null;
  for (let run = 0; run < 3; run++) {
    const corpus = corpora[next++] as BenchCorpus;
    const cpu = process.cpuUsage();
    const start = performance.now();
    last = await buildPatchSet({ direction, files: corpus.files, model: corpus.model, targets: corpus.targets, engine });
    const used = process.cpuUsage(cpu);
    runs.push({ wall: performance.now() - start, cpu: (used.user + used.system) / 1000 });
  }
  const [firstRun, ...rest] = runs as [{ wall: number; cpu: number }, ...{ wall: number; cpu: number }[]];
  const best = rest.reduce((a, b) => (b.wall < a.wall ? b : a));
  console.log(
    `${direction}: first run ${firstRun.wall.toFixed(0)} ms wall / ${firstRun.cpu.toFixed(0)} ms CPU (${(firstRun.wall + loadMs).toFixed(0)} ms with the load); ` +
      `later run ${best.wall.toFixed(0)} ms wall / ${best.cpu.toFixed(0)} ms CPU; ${last?.files.length ?? 0} files changed; ${last ? summary(last) : ''}`,
  );
}
