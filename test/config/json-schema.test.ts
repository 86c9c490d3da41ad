import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRepoConfig, repoConfigSchema } from '../../src/config/repo-config.js';
import { renderRepoConfigJsonSchema, repoConfigJsonSchema } from '../../src/config/repo-config-json-schema.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../docs/driftwatch.schema.json', import.meta.url));
const CONFIGURATION_DOC = fileURLToPath(new URL('../../docs/configuration.md', import.meta.url));

describe('docs/driftwatch.schema.json', () => {
  it('is what `npm run schema` generates from the config schema', () => {
    // If this fails: run `npm run schema` and commit docs/driftwatch.schema.json.
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(renderRepoConfigJsonSchema());
  });

  it('describes every top-level key, with the shorthand and the object form of autofix', () => {
    const schema = repoConfigJsonSchema() as { $id: string; title: string; properties: Record<string, { description?: string; anyOf?: unknown[] }> };
    expect(schema.$id).toBe('urn:driftwatch:repository-config');
    expect(schema.title).toBe('driftwatch configuration');
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(repoConfigSchema.shape).sort());
    for (const [key, property] of Object.entries(schema.properties)) expect(property.description, key).toBeTruthy();
    expect(schema.properties.autofix!.anyOf).toHaveLength(2);
  });
});

describe('docs/configuration.md', () => {
  it('its reference example is a valid configuration', () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(readFileSync(CONFIGURATION_DOC, 'utf8'))![1]!;
    const config = parseRepoConfig(example, 'docs/configuration.md', { slackChannels: ['PLATFORM_ALERTS'] });
    expect(config.workspaces[0]).toMatchObject({ name: 'prod', schedule: '0 6 * * 1-5', timezone: 'Europe/Berlin' });
    expect(config.notify.slack?.channel).toBe('platform-alerts');
  });
});
