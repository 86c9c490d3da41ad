// npm run schema: writes docs/driftwatch.schema.json from the config schema. A test fails when the
// committed file differs, so run this after changing src/config/repo-config.ts.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderRepoConfigJsonSchema } from '../src/config/repo-config-json-schema.js';

const target = fileURLToPath(new URL('../docs/driftwatch.schema.json', import.meta.url));
writeFileSync(target, renderRepoConfigJsonSchema());
console.log(`wrote ${target}`);
