// Loading a corpus case: the configuration (its own .tf files or a real-provider fixture), the
// model overrides and the drift targets described in case.json.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import type { Change, DriftKind } from '../../src/drift/types.js';
import type { PatchTarget } from '../../src/patch/types.js';
import type { GeneratedResource } from '../../src/resources/family.js';
import type { HclModel, SourceFile } from '../../src/terraform/types.js';
import { buildHclModel } from '../../src/terraform/hcl-model.js';
import { locateResource } from '../../src/terraform/locate-resource.js';
import { parseState } from '../../src/terraform/state.js';
import { instancesOfBlocks } from '../../src/scan/patch-targets.js';
import { collectSecrets } from '../../src/drift/redact.js';
import { readTfFiles, target } from './helpers.js';

interface CaseTarget {
  address?: string;
  kind?: DriftKind;
  type?: string;
  id?: string;
  changes?: Change[];
  remediation?: string | null;
  generated?: GeneratedResource | null;
}

interface CaseFile {
  description: string;
  config?: string;
  model?: Partial<Pick<HclModel, 'requiredVersion'>>;
  targets: CaseTarget[];
}

export interface CorpusCase {
  name: string;
  dir: string;
  configDir: string;
  description: string;
  files: SourceFile[];
  model: HclModel;
  targets: PatchTarget[];
  /** Secret values of the state beside the configuration (collectSecrets), as the scan passes them. */
  secrets: string[];
}

export const CORPUS_DIR = resolve(import.meta.dirname, 'corpus');

export function loadCase(name: string, parser: Parser): CorpusCase {
  const dir = join(CORPUS_DIR, name);
  const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseFile;
  const configDir = spec.config ? resolve(dir, spec.config) : dir;
  const files = readTfFiles(configDir);
  // The real HCL model builder, as the scan uses it.
  const model = { ...buildHclModel(files, parser), ...spec.model };
  // The instances of each block, from the state beside the configuration, as the scan reads them.
  const statePath = join(configDir, 'terraform.tfstate');
  const state = existsSync(statePath) ? parseState(readFileSync(statePath, 'utf8'), statePath) : null;
  const blocks = spec.targets.map((entry) => (entry.address ? locateResource(model, entry.address) : null));
  const instances = state ? instancesOfBlocks(state, model, blocks) : null;
  const targets = spec.targets.map((entry, i) =>
    target(model, {
      instances: instances?.[i] ?? null,
      kind: entry.kind ?? 'modified',
      address: entry.address ?? null,
      type: entry.type,
      id: entry.id,
      changes: entry.changes ?? [],
      remediation: entry.remediation ?? null,
      generated: entry.generated ?? null,
      fingerprint: `${name}-${i + 1}`,
    }),
  );
  return { name, dir, configDir, description: spec.description, files, model, targets, secrets: state ? collectSecrets(state) : [] };
}
