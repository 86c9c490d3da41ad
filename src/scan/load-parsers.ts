// The scan's parsers load on first use (hcl2-parser alone takes most of a second, synchronously),
// so the CLI starts fast. A worker that scans on its event loop (DRIFTWATCH_SCAN_THREADS=0) loads
// them before it takes a job instead: its first job holds a lock that its renewals keep only
// while the event loop turns, and a slow machine loading them can stall it for seconds.
import { prepareHclFormatter } from '../patch/hcl-formatter.js';
import { readHclValues } from '../terraform/hcl-values.js';
import { loadTerraformParser } from '../terraform/tree-sitter.js';

export async function loadParsers(): Promise<void> {
  readHclValues('');
  await loadTerraformParser();
  await prepareHclFormatter();
}
