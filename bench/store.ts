// Store benchmark: recording one scan of 10,000 findings, on SQLite and on PostgreSQL (target: at
// most 1 s each). Per dialect, on a fresh database each round:
// - first scan: every finding opened (10,000 inserts);
// - rescan: 10% changed (new fingerprints), 10% resolved (gone), 80% unchanged;
// - unchanged rescan: the common case, every finding seen again as it was.
// Wall time of recordScan (its one transaction, commit and fsync included), the process's CPU
// time during it and, for PostgreSQL on this machine, its server processes' CPU time (from
// /proc): the best and the median of the rounds. On a loaded machine wall time waits for a CPU;
// client + server CPU is what the recording costs. PostgreSQL runs in a fresh schema of
// TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), dropped afterwards.
//   npx tsx bench/store.ts [findings] [rounds]
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { StoreSettings } from '../src/config/settings.js';
import type { Severity } from '../src/drift/types.js';
import { createStore } from '../src/store/create-store.js';
import type { StoreDialect } from '../src/store/schema.js';
import { mariaAuthorizedIngress, REPO, scanInput } from '../test/store/findings.js';
import type { FindingInput, ScanRecordInput, Store } from '../src/store/types.js';

const FINDINGS = Number(process.argv[2] ?? 10_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const TEMPLATES: { type: string; liveType: string; kind: FindingInput['kind']; severity: Severity; title: string }[] = [
  { type: 'aws_security_group_rule', liveType: 'aws_security_group', kind: 'modified', severity: 'critical', title: 'Opened to the entire internet (0.0.0.0/0)' },
  { type: 'aws_s3_bucket_public_access_block', liveType: 'aws_s3_bucket', kind: 'modified', severity: 'high', title: 'Public access block disabled' },
  { type: 'aws_instance', liveType: 'aws_instance', kind: 'unmanaged', severity: 'medium', title: 'Instance not managed by Terraform (m5.large)' },
  { type: 'aws_iam_role_policy_attachment', liveType: 'aws_iam_role', kind: 'deleted', severity: 'low', title: 'Policy detached outside Terraform' },
];

function finding(i: number, version: number): FindingInput {
  const template = TEMPLATES[i % TEMPLATES.length] as (typeof TEMPLATES)[number];
  const address = template.kind === 'unmanaged' ? null : `module.service_${Math.floor(i / 100)}.${template.type}.this["${i}"]`;
  const cloudId = `i-${i.toString(16).padStart(17, '0')}`;
  return {
    workspace: 'prod',
    resourceKey: address ?? `${template.type}:${cloudId}`,
    fingerprint: createHash('sha256').update(`prod\n${i}\n${version}`).digest('hex'),
    address,
    type: template.type,
    cloudId,
    region: i % 3 === 0 ? 'eu-west-1' : 'us-east-1',
    liveType: template.liveType,
    kind: template.kind,
    severity: template.severity,
    title: template.title,
    attribution:
      i % 2 === 0
        ? { ...mariaAuthorizedIngress, eventId: `b7c1d9e2-4f3a-4c5b-8d6e-${i.toString(16).padStart(12, '0')}` }
        : null,
    costDeltaMonthly: template.kind === 'unmanaged' ? 70.08 : null,
  };
}

function scan(finishedAt: string): ScanRecordInput {
  return scanInput({ finishedAt, counts: { critical: FINDINGS / 4, high: FINDINGS / 4, medium: FINDINGS / 4, low: FINDINGS / 4 }, postureScore: 12, apiCalls: 2_400 });
}

interface Fresh {
  settings: StoreSettings;
  /** CPU milliseconds the database server has spent for this store so far (PostgreSQL). */
  serverCpuMs(): Promise<number | null>;
  drop(): Promise<void>;
}

async function fresh(dialect: StoreDialect): Promise<Fresh> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'driftwatch-bench-store-'));
    return {
      settings: { databaseUrl: null, dataDir: dir, retentionDays: 90 },
      serverCpuMs: async () => null,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `dw_bench_${randomBytes(6).toString('hex')}`;
  await admin(`create schema ${schema}`);
  const url = new URL(DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  // The URL's application_name wins over the store's: it tells this store's server processes apart.
  url.searchParams.set('application_name', schema);
  const spent = new Map<number, number>();
  return {
    settings: { databaseUrl: url.toString(), dataDir: '.', retentionDays: 90 },
    async serverCpuMs() {
      const pids = await admin(`select pid from pg_stat_activity where application_name = '${schema}'`);
      for (const { pid } of pids as { pid: number }[]) {
        const cpu = processCpuMs(pid);
        if (cpu !== null) spent.set(pid, cpu);
      }
      return spent.size === 0 ? null : [...spent.values()].reduce((sum, ms) => sum + ms, 0);
    },
    drop: async () => void (await admin(`drop schema ${schema} cascade`)),
  };
}

/** utime + stime of a process on this machine, or null when /proc cannot say (a remote server). */
function processCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // Fields 14 and 15 of stat, counted from the state field (3): clock ticks, 100 per second.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

async function admin(statement: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(statement)).rows;
  } finally {
    await client.end();
  }
}

interface Timing {
  wallMs: number;
  cpuMs: number;
  serverCpuMs: number | null;
  transitions: Record<string, number>;
}

async function timed(database: Fresh, store: Store, input: ScanRecordInput, findings: FindingInput[]): Promise<Timing> {
  const server = await database.serverCpuMs();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await store.recordScan(input, findings);
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const serverAfter = await database.serverCpuMs();
  const transitions: Record<string, number> = {};
  for (const transition of result.transitions) transitions[transition.kind] = (transitions[transition.kind] ?? 0) + 1;
  return { wallMs, cpuMs: (used.user + used.system) / 1000, serverCpuMs: serverAfter === null ? null : serverAfter - (server ?? 0), transitions };
}

type Case = 'first scan' | 'rescan 10% changed, 10% resolved' | 'unchanged rescan';

async function round(dialect: StoreDialect): Promise<Record<Case, Timing>> {
  const database = await fresh(dialect);
  const store = createStore(database.settings);
  try {
    await store.migrate();
    // The pool's connection is open (and counted) before the first measurement.
    await store.latestScans(REPO);
    const first = Array.from({ length: FINDINGS }, (_, i) => finding(i, 1));
    // Every tenth finding changes, every tenth (offset by five) is gone.
    const second = first.flatMap((each, i) => (i % 10 === 5 ? [] : i % 10 === 0 ? [finding(i, 2)] : [each]));
    return {
      'first scan': await timed(database, store, scan('2026-11-22T06:01:00.000Z'), first),
      'rescan 10% changed, 10% resolved': await timed(database, store, scan('2026-11-23T06:01:00.000Z'), second),
      'unchanged rescan': await timed(database, store, scan('2026-11-24T06:01:00.000Z'), second),
    };
  } finally {
    await store.close();
    await database.drop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function main(): Promise<void> {
  console.log(`Recording one scan of ${FINDINGS.toLocaleString('en-US')} findings, ${ROUNDS} rounds per dialect, each on a fresh database (target: at most 1,000 ms)`);
  console.log(`Node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(2)}\n`);
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const rounds: Record<Case, Timing>[] = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(await round(dialect));
    for (const name of Object.keys(rounds[0] as Record<Case, Timing>) as Case[]) {
      const wall = rounds.map((each) => each[name].wallMs);
      const cpu = rounds.map((each) => each[name].cpuMs);
      const server = rounds.map((each) => each[name].serverCpuMs);
      const serverText = server.every((ms) => ms !== null) ? `, server ${median(server as number[]).toFixed(0).padStart(4)} ms` : '';
      const transitions = Object.entries((rounds[0] as Record<Case, Timing>)[name].transitions)
        .map(([kind, count]) => `${count} ${kind}`)
        .join(', ');
      console.log(
        `${dialect.padEnd(8)} ${name.padEnd(34)} wall best ${Math.min(...wall).toFixed(0).padStart(5)} ms, median ${median(wall).toFixed(0).padStart(5)} ms; CPU median: process ${median(cpu).toFixed(0).padStart(4)} ms${serverText}  (${transitions})`,
      );
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
