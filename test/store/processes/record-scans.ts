// Child process: records scan after scan of one workspace until it is killed. Scan i changes
// every one of FINDINGS findings (fingerprint "scan <i>"), so a half-written scan would leave
// findings of two scans. It says "writing <i>" before each recording and "committed <i> <ms>"
// once recordScan has returned, with the time it took.
import type { StoreSettings } from '../../../src/config/settings.js';
import { createStore } from '../../../src/store/create-store.js';
import { crashScan, crashFindings } from './crash-scans.js';

const settings = JSON.parse(process.argv[2] as string) as StoreSettings;
const store = createStore(settings);

async function main(): Promise<void> {
  await store.migrate();
  for (let i = 1; ; i++) {
    const scan = crashScan(i);
    const findings = crashFindings(i);
    // Said at the last moment before the store starts writing, so a kill on it lands inside.
    process.stdout.write(`writing ${i}\n`);
    const start = performance.now();
    await store.recordScan(scan, findings);
    process.stdout.write(`committed ${i} ${Math.round(performance.now() - start)}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
