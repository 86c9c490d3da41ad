// Reads a live inventory file (docs/inventory.md) for `driftwatch scan --live`. The envelope is
// checked with the schema; resources, which can number hundreds of thousands, with a plain loop
// that names the first wrong field. Their attributes are family-specific and re-normalized by
// the families.
import { z } from 'zod';
import { describeIssues } from '../config/zod-issues.js';
import { DriftwatchError } from '../errors.js';
import type { LiveInventory, LiveType } from './live-types.js';

const LIVE_TYPES: readonly LiveType[] = ['aws_instance', 'aws_security_group', 'aws_s3_bucket', 'aws_db_instance', 'aws_iam_role', 'aws_iam_policy'];
const LIVE_TYPE = z.enum(LIVE_TYPES as [LiveType, ...LiveType[]]);

const envelopeSchema = z.object({
  version: z.literal(1, 'this driftwatch reads inventory version 1; regenerate it with `driftwatch inventory`'),
  account: z.string().nullable().default(null),
  collectedAt: z.string(),
  regions: z.array(z.string()),
  resources: z.array(z.unknown()),
  unknown: z.array(z.object({ type: LIVE_TYPE, region: z.string().optional(), reason: z.string() })).default([]),
});

export function parseInventory(text: string, source: string): LiveInventory {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DriftwatchError('inventory', `${source} is not valid JSON (${error instanceof Error ? error.message : String(error)}); write it with \`driftwatch inventory --output ${source}\`.`);
  }
  const parsed = envelopeSchema.safeParse(raw);
  if (!parsed.success) throw new DriftwatchError('inventory', describeIssues(source, parsed.error));
  const types = new Set<string>(LIVE_TYPES);
  parsed.data.resources.forEach((resource, index) => {
    const wrong = (field: string, expected: string) => new DriftwatchError('inventory', `${source} is not valid:\n  resources[${index}]${field}: expected ${expected}`);
    if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) throw wrong('', 'an object');
    const r = resource as Record<string, unknown>;
    if (typeof r.type !== 'string' || !types.has(r.type)) throw wrong('.type', `one of ${LIVE_TYPES.join(', ')}`);
    if (typeof r.id !== 'string' || r.id === '') throw wrong('.id', 'a non-empty string');
    if (typeof r.region !== 'string' || r.region === '') throw wrong('.region', 'a region name or "global"');
    if (typeof r.attributes !== 'object' || r.attributes === null || Array.isArray(r.attributes)) throw wrong('.attributes', 'an object');
    if (r.unknownAttributes !== undefined && (typeof r.unknownAttributes !== 'object' || r.unknownAttributes === null)) throw wrong('.unknownAttributes', 'an object of reasons');
  });
  return parsed.data as LiveInventory;
}
