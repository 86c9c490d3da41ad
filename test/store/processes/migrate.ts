// Child process: migrates each database named in argv[2] (a JSON list of StoreSettings) in turn.
// Before each it says "ready <n>" and waits for a line on stdin, so that two of these children
// start migrating the same fresh database at the same moment; after it, "migrated <n>".
import { createInterface } from 'node:readline';
import type { StoreSettings } from '../../../src/config/settings.js';
import { createStore } from '../../../src/store/create-store.js';

const databases = JSON.parse(process.argv[2] as string) as StoreSettings[];
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function main(): Promise<void> {
  for (const [n, settings] of databases.entries()) {
    const store = createStore(settings);
    process.stdout.write(`ready ${n}\n`);
    await lines.next();
    try {
      await store.migrate();
    } finally {
      await store.close();
    }
    process.stdout.write(`migrated ${n}\n`);
  }
  process.stdin.destroy();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
