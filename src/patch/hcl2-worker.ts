// hcl2-parser in a worker thread. Verification is the patch engine's heaviest step (hcl2-parser
// needs 4 to 7 ms per kilobyte of HCL), and it does not depend on the planning of the next drift:
// buildPatchSet hands each batch of edits to this worker and goes on planning, so the two run on
// two cores. The worker also takes hcl2-parser's load (half a second) off the main thread.
//
// If the worker cannot start or dies, every request it had, and every later one, is read in this
// thread instead: same parser, same answers, only slower.
import { Worker } from 'node:worker_threads';
import type { Hcl2Body, Hcl2Reader } from './hcl2-parse.js';
import { hcl2Body, hcl2ParserPath, parseHcl2Texts } from './hcl2-parse.js';

// Plain JavaScript run by the worker: no TypeScript loader is needed wherever driftwatch runs
// (compiled, under tsx, under vitest).
const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const hcl2 = require(workerData.modulePath);
const read = (text) => {
  try {
    return hcl2.parseToObject(text);
  } catch (error) {
    return null;
  }
};
parentPort.on('message', (message) => {
  parentPort.postMessage({ id: message.id, results: message.texts.map(read) });
});
`;

interface Request {
  texts: readonly string[];
  resolve(bodies: (Hcl2Body | null)[]): void;
}

export interface Hcl2WorkerReader extends Hcl2Reader {
  /** Stops the worker; later reads run in this thread. */
  close(): Promise<void>;
}

/** Starts a worker thread that reads HCL with hcl2-parser. The caller owns it and closes it;
 * it does not keep the process alive while it has nothing to do. `modulePath` is where the worker loads hcl2-parser from (this
 * package's own copy unless told otherwise). */
export function startHcl2Worker(modulePath: string = hcl2ParserPath()): Hcl2WorkerReader {
  const pending = new Map<number, Request>();
  let nextId = 0;
  let worker: Worker | null = null;

  const giveUp = (): void => {
    worker = null;
    const stranded = [...pending.values()];
    pending.clear();
    for (const request of stranded) request.resolve(parseHcl2Texts(request.texts));
  };

  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { modulePath } });
    worker.on('message', (message: { id: number; results: unknown[] }) => {
      const request = pending.get(message.id);
      if (!request) return;
      pending.delete(message.id);
      if (pending.size === 0) worker?.unref();
      request.resolve(message.results.map(hcl2Body));
    });
    worker.on('error', giveUp);
    worker.on('exit', giveUp);
    // After the listeners: adding a 'message' listener refs the worker's port again, so an
    // unref() before it would leave an idle worker holding the process open.
    worker.unref();
  } catch {
    worker = null;
  }

  return {
    parse(texts) {
      if (texts.length === 0) return Promise.resolve([]);
      const current = worker;
      if (current === null) return Promise.resolve(parseHcl2Texts(texts));
      return new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, { texts, resolve });
        // Keeps the process alive until the answer is back (a CLI run ends with its last patch).
        current.ref();
        current.postMessage({ id, texts });
      });
    },
    async close() {
      const current = worker;
      worker = null;
      if (current) {
        current.removeAllListeners();
        await current.terminate();
      }
      giveUp();
    },
  };
}
