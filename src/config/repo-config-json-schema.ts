// The repository config's JSON Schema, generated from the zod schema the CLI and the app validate
// with, so editors check and complete .github/driftwatch.yml exactly as driftwatch reads it.
// docs/driftwatch.schema.json is this, written by `npm run schema`.
import { z } from 'zod';
import { repoConfigSchema } from './repo-config.js';

export const REPO_CONFIG_SCHEMA_ID = 'urn:driftwatch:repository-config';

export function repoConfigJsonSchema(): Record<string, unknown> {
  // What a person writes (io: input): shorthands such as `autofix: restore` and every optional
  // key, with the defaults driftwatch fills in.
  const { $schema, ...schema } = z.toJSONSchema(repoConfigSchema, { io: 'input', target: 'draft-2020-12' });
  return { $schema, $id: REPO_CONFIG_SCHEMA_ID, ...schema };
}

/** The file's text: two-space JSON and a final newline. */
export function renderRepoConfigJsonSchema(): string {
  return `${JSON.stringify(repoConfigJsonSchema(), null, 2)}\n`;
}
