// One way to open Redis for REDIS_URL, for the queue, the workers, the locks and the shared
// write budget: each opens its own client and closes it on close().
import { Redis } from 'ioredis';
import type { JobLogger } from './types.js';

/** Opens a client for `url` (redis:// or rediss://). Commands wait for a reconnect instead of
 * failing after a few retries (BullMQ's workers require it: `maxRetriesPerRequest: null`), so a
 * Redis restart pauses the jobs rather than failing them. */
export function openRedis(url: string, log?: JobLogger): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: null });
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
