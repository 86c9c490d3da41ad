// Reads a live inventory file (docs/inventory.md) for `driftwatch scan --live`. The attributes of
// each resource are family-specific and re-normalized by the families; the envelope is checked
// strictly so a wrong file fails with the field that is wrong.
import { z } from 'zod';
import { describeIssues } from '../config/zod-issues.js';
import { DriftwatchError } from '../errors.js';
import type { LiveInventory } from './live-types.js';

const LIVE_TYPE = z.enum(['aws_instance', 'aws_security_group', 'aws_s3_bucket', 'aws_db_instance', 'aws_iam_role', 'aws_iam_policy']);

const inventorySchema = z.object({
  version: z.literal(1, 'this driftwatch reads inventory version 1; regenerate it with `driftwatch inventory`'),
  account: z.string().nullable().default(null),
  collectedAt: z.string(),
  regions: z.array(z.string()),
  resources: z.array(
    z.object({
      type: LIVE_TYPE,
      id: z.string().min(1),
      region: z.string().min(1),
      attributes: z.record(z.string(), z.unknown()),
      unknownAttributes: z.record(z.string(), z.string()).optional(),
    }),
  ),
  unknown: z.array(z.object({ type: LIVE_TYPE, region: z.string().optional(), reason: z.string() })).default([]),
});

export function parseInventory(text: string, source: string): LiveInventory {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DriftwatchError('inventory', `${source} is not valid JSON (${error instanceof Error ? error.message : String(error)}); write it with \`driftwatch inventory --output ${source}\`.`);
  }
  const parsed = inventorySchema.safeParse(raw);
  if (!parsed.success) throw new DriftwatchError('inventory', describeIssues(source, parsed.error));
  return parsed.data as LiveInventory;
}
