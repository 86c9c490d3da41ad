// The load client of bench/webhooks.ts, in a process of its own (forked with an IPC channel), so
// the fake GitHub and AWS the bench process serves never delay the clock that measures the app.
// Each round's deliveries are sent at once, each on its own connection (no keep-alive agent: a new
// TCP connection per delivery, as GitHub's deliveries arrive), and timed from the request until
// the last byte of the answer.
import { request } from 'node:http';
import type { Delivery, DeliveryKind } from './webhook-deliveries.js';

export interface RoundMessage {
  type: 'round';
  url: string;
  deliveries: Delivery[];
}

export interface Timed {
  kind: DeliveryKind;
  triggers: boolean;
  status: number;
  ms: number;
}

export interface RoundResult {
  type: 'result';
  timings: Timed[];
}

function send(url: string, delivery: Delivery): Promise<Timed> {
  return new Promise((resolve) => {
    const started = performance.now();
    const done = (status: number) => resolve({ kind: delivery.kind, triggers: delivery.triggers, status, ms: performance.now() - started });
    const req = request(url, { method: 'POST', agent: false, headers: { ...delivery.headers, 'content-length': String(Buffer.byteLength(delivery.body)) } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
      res.on('error', () => done(0));
    });
    req.on('error', () => done(0));
    req.end(delivery.body);
  });
}

if (process.send) {
  process.on('message', (message: RoundMessage | { type: 'exit' }) => {
    if (message.type === 'exit') {
      process.disconnect();
      return;
    }
    void Promise.all(message.deliveries.map((delivery) => send(message.url, delivery))).then((timings) => {
      const result: RoundResult = { type: 'result', timings };
      process.send!(result);
    });
  });
}
