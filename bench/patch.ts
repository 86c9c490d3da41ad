// Patch engine benchmark: 1,000 drifts across 200 files, patched and verified, in both
// directions. Run with `npx tsx bench/patch.ts`.
//
// Per direction it prints:
// - fresh process: the first run in a new process (what `driftwatch scan --patch` does), twice,
//   each in its own child process: nothing is compiled or cached yet. Its load (tree-sitter
//   grammar and HCL formatter in the main thread) is shown apart; hcl2-parser loads in its worker
//   thread and finishes during the run, so its load is inside the run's figure.
// - long-running process: the best of two runs after a first one, each over a corpus with other
//   names and values (nothing cached from an earlier run answers it): what the app sees on its
//   next repository.
// CPU time counts every thread of the process (verification runs in a worker thread).
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { buildPatchSet, loadPatchEngine, type PatchEngine } from '../src/patch/build-patch-set.js';
import type { PatchDirection, PatchSet } from '../src/patch/types.js';
import { benchCorpus } from './patch-corpus.js';

interface Measured {
  loadMs: number;
  wallMs: number;
  cpuMs: number;
  summary: string;
  filesChanged: number;
}

function summary(set: PatchSet): string {
  const counts: Record<string, number> = {};
  for (const patch of set.patches) counts[patch.status] = (counts[patch.status] ?? 0) + 1;
  return Object.entries(counts)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
}

async function measure(direction: PatchDirection, engine: PatchEngine, firstFile: number): Promise<Omit<Measured, 'loadMs'>> {
  const corpus = benchCorpus(200, 5, firstFile);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const set = await buildPatchSet({ direction, files: corpus.files, model: corpus.model, targets: corpus.targets, engine });
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, summary: summary(set), filesChanged: set.files.length };
}

/** One first run in this (new) process, printed as JSON for the parent. */
async function child(direction: PatchDirection): Promise<void> {
  const loadStart = performance.now();
  const engine = await loadPatchEngine();
  const loadMs = performance.now() - loadStart;
  const measured = await measure(direction, engine, 0);
  process.stdout.write(`${JSON.stringify({ loadMs, ...measured })}\n`);
}

function freshRun(direction: PatchDirection): Measured {
  const self = fileURLToPath(import.meta.url);
  const run = spawnSync(process.execPath, [...process.execArgv, self, '--fresh', direction], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the fresh-process run failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() as string) as Measured;
}

const ms = (value: number): string => `${value.toFixed(0)} ms`;

async function main(): Promise<void> {
  const probe = benchCorpus(200, 5, 0);
  console.log(`corpus: ${probe.files.length} files, ${probe.targets.length} drifts, ${probe.targets.reduce((n, t) => n + t.changes.length, 0)} changes`);
  console.log(`machine: ${os.cpus().length} CPUs, load average ${os.loadavg()[0]?.toFixed(1)} (other processes slow the wall-clock figures)`);
  const directions: PatchDirection[] = ['restore', 'accept'];
  for (const direction of directions) {
    const runs = [freshRun(direction), freshRun(direction)];
    const text = runs.map((r) => `${ms(r.wallMs)} wall / ${ms(r.cpuMs)} CPU + ${ms(r.loadMs)} load = ${ms(r.wallMs + r.loadMs)}`).join('; ');
    console.log(`${direction}, fresh process: ${text}`);
  }
  const engine = await loadPatchEngine();
  let firstFile = 1000;
  for (const direction of directions) {
    await measure(direction, engine, firstFile);
    firstFile += 1000;
    const later: Omit<Measured, 'loadMs'>[] = [];
    for (let i = 0; i < 2; i++) {
      later.push(await measure(direction, engine, firstFile));
      firstFile += 1000;
    }
    const best = later.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
    console.log(`${direction}, long-running process: ${ms(best.wallMs)} wall / ${ms(best.cpuMs)} CPU; ${best.filesChanged} files changed; ${best.summary}`);
  }
}

const fresh = process.argv.indexOf('--fresh');
if (fresh >= 0) await child(process.argv[fresh + 1] as PatchDirection);
else await main();
