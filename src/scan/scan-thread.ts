// A scan thread: runs scanWorkspace (the engine: parsing the configuration, reading the state,
// collecting live AWS, analysis, attribution, patches) for the app's process, which keeps its own
// thread for webhooks. Parsing a large .tf file or deserializing a page of 1,000 instances holds
// a thread for half a second: here it no longer delays the app's answers (bench/webhooks.ts).
//
// The files are read in the app (through its GitHub client and blob cache): this thread asks for
// each one. AWS is called from here, with the credentials of the process's environment.
import os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { scanWorkspace } from '../repository/scan-workspace.js';
import type { FileEntry, FileSource } from '../terraform/file-source.js';
import { SCAN_NICE } from './lower-helper-threads.js';
import { deserializeError, serializeError, type FileAnswer, type FromThread, type ScanMessage, type ToThread } from './thread-messages.js';

if (!parentPort) throw new Error('scan-thread.js runs as a worker thread of the app (scan-pool.ts), not on its own');
const port = parentPort;

// Scans are background work: on Linux, where the nice value belongs to each thread, this one
// (and the threads it starts) yields the CPU to the thread answering webhooks, which otherwise
// waits its turn behind a scan on a busy machine. Elsewhere the value is the whole process's,
// so it is left alone.
if (process.platform === 'linux') {
  try {
    os.setPriority(SCAN_NICE);
  } catch {
    // Not allowed here (a sandbox): scans run at the process's priority.
  }
}

const post = (message: FromThread): void => port.postMessage(message);
const calls = new Map<number, { resolve(value: FileEntry[] | string | null): void; reject(error: Error): void }>();
let nextCall = 0;

function remoteFiles(id: number, files: ScanMessage['input']['files']): FileSource {
  const ask = (op: 'list' | 'read', path: string) =>
    new Promise<FileEntry[] | string | null>((resolve, reject) => {
      const call = nextCall++;
      calls.set(call, { resolve, reject });
      post({ type: 'file', id, call, op, path });
    });
  return {
    origin: files.origin,
    label: files.label,
    list: (dir) => ask('list', dir) as Promise<FileEntry[] | null>,
    read: (path) => ask('read', path) as Promise<string | null>,
  };
}

function answer(message: FileAnswer): void {
  const call = calls.get(message.call);
  if (!call) return;
  calls.delete(message.call);
  if (message.ok) call.resolve(message.value);
  else call.reject(deserializeError(message.error));
}

async function run(message: ScanMessage): Promise<void> {
  const { id, input, clockOffsetMs } = message;
  const report = await scanWorkspace(
    { ...input, files: remoteFiles(id, input.files) },
    {
      now: () => new Date(Date.now() + clockOffsetMs),
      awsSettings: message.awsSettings,
      defaultRegion: message.defaultRegion,
      onUnexpectedError: (error) => post({ type: 'unexpected', id, error: serializeError(error) }),
    },
  );
  post({ type: 'done', id, report });
}

port.on('message', (message: ToThread) => {
  if (message.type === 'file') answer(message);
  // scanWorkspace turns every error into a failed report; anything else is a bug, and the
  // thread's 'error' event tells the app (which fails this thread's scans and starts another).
  else void run(message).catch((error: unknown) => setImmediate(() => { throw error; }));
});
