// One way to open Redis for REDIS_URL, for the queue, the workers, the locks and the shared
// write budget: each opens its own client and closes it on close().
import { Redis } from 'ioredis';
import type { JobLogger } from './types.js';

/** Opens a client for `url` (redis:// or rediss://).
 * - 'wait' (workers): commands wait for a reconnect however long it takes (BullMQ's workers
 *   require it: `maxRetriesPerRequest: null`), so a Redis restart pauses the jobs rather than
 *   failing them.
 * - 'fail-fast' (web processes): a command fails after one reconnect attempt, so a webhook is
 *   answered with an error GitHub records (and the delivery can be redelivered) instead of
 *   hanging while Redis is down. */
export function openRedis(url: string, log?: JobLogger, mode: 'wait' | 'fail-fast' = 'wait'): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: mode === 'wait' ? null : 1 });
  let reported = false;
  // ioredis reconnects by itself; an unhandled 'error' event would print a stack per retry.
  client.on('error', (error: Error) => {
    if (reported) return;
    reported = true;
    log?.warn({ reason: error.message }, 'Redis connection failed; reconnecting (is REDIS_URL right and Redis up?)');
  });
  client.on('ready', () => {
    reported = false;
  });
  return client;
}

/** Closes a client, waiting for replies in flight; gives up politely on a dead connection. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

/** Resolves once `client` is connected; rejects after `timeoutMs` (a web process must answer
 * GitHub within 10 seconds). */
export async function whenReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`no connection within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}

/** Logs an error event once until a different one comes or 30 seconds pass: a dead Redis makes
 * BullMQ emit one per reconnect attempt. */
export function quietErrors(log: JobLogger, message: string): (error: Error) => void {
  let last = '';
  let at = 0;
  return (error) => {
    if (error.message === last && Date.now() - at < 30_000) return;
    last = error.message;
    at = Date.now();
    log.error({ reason: error.message }, message);
  };
}

