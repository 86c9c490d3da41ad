// Scan threads for the app's process (DRIFTWATCH_SCAN_THREADS, default 1): scanRepository hands
// each workspace's scan to one, so the thread that answers webhooks and writes to GitHub is never
// held by the engine's parsing and deserializing (bench/webhooks.ts). A web process and a worker
// both use them: a worker's event loop also renews its jobs' locks.
//
// The thread asks this side for every file it reads (the FileSource stays here, with the GitHub
// client and its blob cache). A thread that dies (out of memory, a bug) fails the scans it had,
// each as a failed report that says so, and the next scan starts a new thread: nothing is lost
// silently, and no scan waits forever.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { JobLogger } from '../jobs/types.js';
import { failedReport, UNEXPECTED_SCAN_ERROR, type ScanWorkspaceDependencies, type ScanWorkspaceInput } from '../repository/scan-workspace.js';
import type { WorkspaceReport } from '../repository/types.js';
import type { FileSource } from '../terraform/file-source.js';
import { lowerHelperThreads } from './lower-helper-threads.js';
import { deserializeError, serializeError, type FileRequest, type FromThread, type ScanMessage, type ToThread } from './thread-messages.js';

export type ScanWorkspaceFunction = (input: ScanWorkspaceInput, deps: ScanWorkspaceDependencies) => Promise<WorkspaceReport>;

export interface ScanPoolOptions {
  /** Threads to spread scans over (at least 1). Each runs any number of scans at once, as the
   * queue's concurrency sends them. */
  threads: number;
  log: JobLogger;
  /** Each thread's heap limits; default: Node's. A thread that runs out fails its scans alone. */
  resourceLimits?: ResourceLimits;
}

export interface ScanPool {
  /** scanWorkspace in a scan thread. `deps.scan` and `deps.createClients` cannot cross to it:
   * the thread always runs the engine on the AWS settings given. */
  scanWorkspace: ScanWorkspaceFunction;
  /** Threads running now. */
  size(): number;
  /** Stops the threads; scans still running fail (stop the queue first). */
  close(): Promise<void>;
}

interface Pending {
  input: ScanWorkspaceInput;
  deps: ScanWorkspaceDependencies;
  startedAt: string;
  resolve(report: WorkspaceReport): void;
}

interface ScanThread {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** The thread's module: the compiled one beside this file, or the TypeScript source when
 * driftwatch runs from source (tsx, vitest), which the thread then loads through tsx's loader
 * (a worker's own `--import tsx` does not reach its entry module on Node 20). */
function startThread(resourceLimits: ResourceLimits | undefined): Worker {
  const limits = resourceLimits ? { resourceLimits } : {};
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./scan-thread.js', here), limits);
  // tsx's ESM API (require() resolves its CommonJS twin, which cannot register hooks from a worker).
  const tsx = pathToFileURL(createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./scan-thread.ts', here).href;
  const source = `import(${JSON.stringify(tsx)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(here)}))`;
  return new Worker(source, { eval: true, ...limits });
}

export function createScanPool(options: ScanPoolOptions): ScanPool {
  const { log } = options;
  const slots: (ScanThread | null)[] = Array.from({ length: Math.max(1, options.threads) }, () => null);
  let nextId = 0;
  let closed = false;

  const fail = (thread: ScanThread, reason: string, error?: unknown): Promise<number> => {
    const index = slots.indexOf(thread);
    if (index >= 0) slots[index] = null;
    thread.worker.removeAllListeners();
    const stranded = [...thread.pending.values()];
    thread.pending.clear();
    if (stranded.length > 0 || error !== undefined) log.error({ err: error, scans: stranded.length }, `a scan thread stopped: ${reason}; its scans are reported as failed`);
    for (const scan of stranded) scan.resolve({ ...failedReport(scan.input, scan.startedAt, UNEXPECTED_SCAN_ERROR), finishedAt: scan.deps.now().toISOString() });
    return thread.worker.terminate();
  };

  const start = (): ScanThread => {
    const worker = startThread(options.resourceLimits);
    // The scans' garbage collection and compilation run on V8's helper threads, not on the scan
    // thread: they yield to this thread too (Linux).
    lowerHelperThreads();
    const thread: ScanThread = { worker, pending: new Map() };
    worker.on('message', (message: FromThread) => {
      const scan = thread.pending.get(message.id);
      if (!scan) return;
      if (message.type === 'file') void readFile(scan.input.files, message, worker);
      else if (message.type === 'unexpected') scan.deps.onUnexpectedError?.(deserializeError(message.error));
      else {
        thread.pending.delete(message.id);
        // An idle thread does not keep the process alive (a CLI run, a test, a stopping server).
        if (thread.pending.size === 0) worker.unref();
        scan.resolve(message.report);
      }
    });
    worker.on('error', (error) => void fail(thread, 'it threw', error));
    worker.on('exit', (code) => void fail(thread, `it exited with code ${code}`));
    worker.unref();
    return thread;
  };

  const pick = (): ScanThread => {
    let best: { index: number; load: number } | null = null;
    for (const [index, thread] of slots.entries()) {
      const load = thread?.pending.size ?? 0;
      if (best === null || load < best.load) best = { index, load };
    }
    const index = best?.index ?? 0;
    return (slots[index] ??= start());
  };

  return {
    scanWorkspace(input, deps) {
      const startedAt = deps.now().toISOString();
      if (closed) return Promise.resolve({ ...failedReport(input, startedAt, 'driftwatch is stopping: this workspace was not scanned; the next scan reads it.') });
      const thread = pick();
      const id = nextId++;
      const { files, ...rest } = input;
      const message: ScanMessage = {
        type: 'scan',
        id,
        input: { ...rest, files: { origin: files.origin, label: files.label } },
        awsSettings: deps.awsSettings,
        defaultRegion: deps.defaultRegion,
        clockOffsetMs: deps.now().getTime() - Date.now(),
      };
      return new Promise<WorkspaceReport>((resolve) => {
        thread.pending.set(id, { input, deps, startedAt, resolve });
        thread.worker.ref();
        thread.worker.postMessage(message satisfies ToThread);
      });
    },
    size: () => slots.filter((thread) => thread !== null).length,
    async close() {
      closed = true;
      const running = slots.filter((thread): thread is ScanThread => thread !== null);
      await Promise.all(running.map((thread) => fail(thread, 'driftwatch is stopping')));
    },
  };
}

/** A thread's file request, answered from the scan's FileSource; its errors cross as errors. */
async function readFile(files: FileSource, request: FileRequest, worker: Worker): Promise<void> {
  let answer: ToThread;
  try {
    const value = request.op === 'list' ? await files.list(request.path) : await files.read(request.path);
    answer = { type: 'file', call: request.call, ok: true, value };
  } catch (error) {
    answer = { type: 'file', call: request.call, ok: false, error: serializeError(error) };
  }
  worker.postMessage(answer);
}
