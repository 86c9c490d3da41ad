// Issue 2 benchmark: a state of 100,000 resources and its live inventory with 1% drift. Parse both
// files and diff them, against a bare JSON.parse of the same files; report the ratio and the peak
// RSS. Each measurement runs in its own process, so one's heap does not inflate the other's RSS.
//   npx tsx bench/parse-diff.ts [resources]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { diff } from '../src/drift/diff.js';
import { families } from '../src/resources/index.js';
import { parseInventory } from '../src/resources/parse-inventory.js';
import { parseState } from '../src/terraform/state.js';
import { syntheticWorkspace } from './synthetic-workspace.js';

const mode = process.argv[2];

if (mode === 'bare' || mode === 'driftwatch') {
  const [statePath, inventoryPath] = process.argv.slice(3) as [string, string];
  const stateText = readFileSync(statePath, 'utf8');
  const inventoryText = readFileSync(inventoryPath, 'utf8');
  const started = performance.now();
  let drifts = 0;
  const steps: Record<string, number> = {};
  const step = (name: string, since: number) => (steps[name] = Math.round(performance.now() - since));
  if (mode === 'bare') {
    JSON.parse(stateText);
    JSON.parse(inventoryText);
  } else {
    let at = performance.now();
    const state = parseState(stateText, statePath);
    step('parseState', at);
    at = performance.now();
    const inventory = parseInventory(inventoryText, inventoryPath);
    step('parseInventory', at);
    at = performance.now();
    drifts = diff({ state, inventory, families, context: { defaultRegion: 'us-east-1', regionByAlias: {} } }).drifts.length;
    step('diff', at);
  }
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ ms, drifts, steps, rssMb: process.resourceUsage().maxRSS / 1024 }));
} else {
  const size = Number(mode ?? 100_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-bench-'));
  const workspace = syntheticWorkspace(size, 0.01);
  const statePath = path.join(dir, 'terraform.tfstate');
  const inventoryPath = path.join(dir, 'inventory.json');
  writeFileSync(statePath, JSON.stringify(workspace.state, null, 2));
  writeFileSync(inventoryPath, JSON.stringify(workspace.inventory));
  const mb = (file: string) => (readFileSync(file).length / 1e6).toFixed(0);
  console.log(`${size.toLocaleString('en-US')} state resources (${mb(statePath)} MB state, ${mb(inventoryPath)} MB inventory), ${workspace.inventory.resources.length.toLocaleString('en-US')} live objects, ${workspace.drifted} drifted`);

  const run = (which: string) =>
    JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, which, statePath, inventoryPath], { encoding: 'utf8', maxBuffer: 1e6 })) as {
      ms: number;
      drifts: number;
      steps: Record<string, number>;
      rssMb: number;
    };
  const rounds = 3;
  const bare: number[] = [];
  const ours: number[] = [];
  let last: ReturnType<typeof run> = { ms: 0, drifts: 0, steps: {}, rssMb: 0 };
  let bareRss = 0;
  // Interleaved, so a noisy neighbour slows both sides alike; the median of each side is compared.
  for (let i = 0; i < rounds; i += 1) {
    const b = run('bare');
    bare.push(b.ms);
    bareRss = Math.max(bareRss, b.rssMb);
    last = run('driftwatch');
    ours.push(last.ms);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`bare JSON.parse of both files: ${median(bare).toFixed(0)} ms (peak RSS ${bareRss.toFixed(0)} MB)`);
  console.log(`parseState + parseInventory + diff: ${median(ours).toFixed(0)} ms (peak RSS ${last.rssMb.toFixed(0)} MB), ${last.drifts} drifts found (${workspace.drifted} planted)`);
  console.log(`  last run: ${Object.entries(last.steps).map(([name, ms]) => `${name} ${ms} ms`).join(', ')}`);
  console.log(`ratio: ${(median(ours) / median(bare)).toFixed(2)}× (target ≤ 2×); peak RSS target ≤ 1024 MB`);
}
