// The one hash the surfaces put in markers (fingerprints of several drifts, file contents,
// dashboard content): hex sha256, the same on every machine.
import { createHash } from 'node:crypto';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
