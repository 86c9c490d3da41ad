// Real processes against one database, on both dialects: two of them migrating a fresh database
// at the same moment, and one killed (SIGKILL) in the middle of recording a scan.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/create-store.js';
import { REPO } from './findings.js';
import { crashFingerprint, crashFinishedAt, crashScan, FINDINGS } from './processes/crash-scans.js';
import { DIALECTS, type TestDatabase } from './test-databases.js';

class Child {
  readonly process: ChildProcessWithoutNullStreams;
  readonly lines: string[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];

  constructor(script: string, args: string[]) {
    const file = fileURLToPath(new URL(`./processes/${script}`, import.meta.url));
    this.process = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: 'pipe' });
    let pending = '';
    this.process.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete) this.line(line);
    });
    this.process.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.process.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves with the first line (already received or to come) that passes the test. */
  waitFor(test: (line: string) => boolean): Promise<string> {
    const seen = this.lines.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      this.waiters.push({ test, resolve });
      void this.exited.then(({ code, signal }) => reject(new Error(`the child exited (${code ?? signal}) before the line expected:\n${this.stderr}`)));
    });
  }

  private line(line: string): void {
    this.lines.push(line);
    for (const waiter of this.waiters.splice(0)) {
      if (waiter.test(line)) waiter.resolve(line);
      else this.waiters.push(waiter);
    }
  }
}

describe.each(DIALECTS)('store processes on $dialect', ({ create }) => {
  let database: TestDatabase;
  const extra: TestDatabase[] = [];
  const children: Child[] = [];

  beforeEach(async () => {
    database = await create();
  });

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
      await child.exited;
    }
    for (const other of extra.splice(0)) await other.drop();
    await database.drop();
  });

  function start(script: string, settings: unknown = database.settings): Child {
    const child = new Child(script, [JSON.stringify(settings)]);
    children.push(child);
    return child;
  }

  it('migrates fresh databases from two processes at once: both succeed, each schema is made once', async () => {
    // The race lasts milliseconds: several rounds, each on a fresh database that both processes
    // start migrating at the same moment, give it room to show.
    const rounds = [database, ...(await Promise.all(Array.from({ length: 7 }, () => create())))];
    extra.push(...rounds.slice(1));
    const racers = [start('migrate.ts', rounds.map((round) => round.settings)), start('migrate.ts', rounds.map((round) => round.settings))];
    for (const n of rounds.keys()) {
      await Promise.all(racers.map((child) => child.waitFor((line) => line === `ready ${n}`)));
      for (const child of racers) child.process.stdin.write('go\n');
    }

    for (const child of racers) {
      expect(await child.exited, child.stderr).toEqual({ code: 0, signal: null });
      expect(child.lines.filter((line) => line.startsWith('migrated '))).toHaveLength(rounds.length);
    }
    for (const round of rounds) expect(await round.query('select name from kysely_migration')).toEqual([{ name: '0001-initial' }]);
    const store = createStore(database.settings);
    try {
      await store.migrate();
      expect(await store.latestScans(REPO)).toEqual([]);
    } finally {
      await store.close();
    }
  }, 90_000);

  it('loses nothing committed and keeps nothing half-written when the process is killed mid-scan', async () => {
    const writer = start('record-scans.ts');
    await writer.waitFor((line) => line.startsWith('committed 3 '));
    // Killed halfway through writing the next scan, timed from how long the first three took.
    const done = writer.lines.filter((line) => line.startsWith('committed ')).map((line) => line.split(' '));
    const halfway = done.reduce((sum, [, , ms]) => sum + Number(ms), 0) / done.length / 2;
    const killedAt = await writer.waitFor((line) => /^writing ([4-9]|\d\d+)$/.test(line));
    await new Promise((resolve) => setTimeout(resolve, halfway));
    writer.process.kill('SIGKILL');
    expect(await writer.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const committed = writer.lines.filter((line) => line.startsWith('committed ')).map((line) => Number(line.split(' ')[1]));
    const killed = Number(killedAt.slice('writing '.length));

    const store = createStore(database.settings);
    try {
      await store.migrate();
      const scans = (await store.recentScans(REPO, 'prod', 100)).map((scan) => scan.finishedAt).reverse();
      // Every scan it reported committed is there; the one it was writing is all there (its
      // commit beat the kill) or not at all.
      const expected = committed.map(crashFinishedAt);
      if (scans.length > expected.length) expected.push(crashFinishedAt(killed));
      expect(scans).toEqual(expected);

      const last = scans.length;
      const findings = await store.findings({ repo: REPO, workspace: 'prod' });
      expect(findings).toHaveLength(FINDINGS);
      const halfWritten = findings.filter(
        (finding) => finding.fingerprint !== crashFingerprint(Number.parseInt(finding.cloudId.slice('i-'.length), 16), last) || finding.lastSeenAt !== crashFinishedAt(last),
      );
      expect(halfWritten).toEqual([]);

      // The store goes on from there.
      const next = await store.recordScan(crashScan(last + 1), []);
      expect(next.transitions).toHaveLength(FINDINGS);
    } finally {
      await store.close();
    }
  }, 60_000);
});
