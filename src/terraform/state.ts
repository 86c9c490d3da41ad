// Terraform state (format version 4) → the declared side of the diff. One JSON.parse and one pass
// over the resources: attributes are referenced, never copied, so that a 100,000-resource state
// costs little more than parsing its JSON.
import { DriftwatchError } from '../errors.js';
import { formatInstanceKey } from './address.js';
import { unflattenAttributes } from './state-flatmap.js';
import { jsonErrorPosition } from './state-json-error.js';
import { providerAlias } from './state-provider-alias.js';
import { readSensitivePaths } from './state-sensitive-paths.js';
import type { DeclaredResource, DeposedObject, ParsedState } from './types.js';

interface RawInstance {
  index_key?: unknown;
  status?: unknown;
  deposed?: unknown;
  schema_version?: unknown;
  attributes?: unknown;
  attributes_flat?: unknown;
  sensitive_attributes?: unknown;
}

interface RawResource {
  module?: unknown;
  mode?: unknown;
  type?: unknown;
  name?: unknown;
  provider?: unknown;
  instances?: unknown;
}

/**
 * Parses the text of a Terraform state. `source` names the file (a path or an s3:// URL) in
 * error messages. Throws DriftwatchError('state') for anything that is not a readable version 4
 * state, with a message that says what to do.
 */
export function parseState(text: string, source: string): ParsedState {
  const root = parseJson(text, source);
  checkVersion(root, source);
  const state = root as Record<string, unknown>;

  const resources: DeclaredResource[] = [];
  const deposed: DeposedObject[] = [];
  let dataSources = 0;
  const rawResources = state.resources as unknown[];
  for (let r = 0; r < rawResources.length; r++) {
    const raw = rawResources[r] as RawResource;
    if (raw === null || typeof raw !== 'object' || typeof raw.type !== 'string' || typeof raw.name !== 'string') {
      throw new DriftwatchError(
        'state',
        `${source}: resource entry ${r + 1} has no type or name, so the state is damaged. ` +
          'Fetch a fresh copy with `terraform state pull`.',
      );
    }
    if (raw.mode === 'data') {
      // Data sources are not compared: only counted.
      if (Array.isArray(raw.instances)) dataSources += raw.instances.length;
      continue;
    }
    const module = typeof raw.module === 'string' ? raw.module : '';
    const provider = typeof raw.provider === 'string' ? raw.provider : '';
    const alias = providerAlias(provider);
    const base = module ? `${module}.${raw.type}.${raw.name}` : `${raw.type}.${raw.name}`;
    // A resource or instance that cannot be read must stop the scan: left out, its live object
    // would be reported unmanaged (or its drift missed) in a scan that says it is complete.
    const damaged = (what: string): DriftwatchError =>
      new DriftwatchError(
        'state',
        `${source}: resource entry ${r + 1} (${base})${what}, so the state is damaged. ` +
          'Fetch a fresh copy with `terraform state pull`, or restore the last good version of the state.',
      );
    if (!Array.isArray(raw.instances)) throw damaged(' has no `instances` list');
    const instances = raw.instances as unknown[];
    for (let i = 0; i < instances.length; i++) {
      const instance = instances[i] as RawInstance;
      const attributes = readAttributes(instance);
      if (attributes === null) throw damaged(`, instance ${i + 1}, has no attributes`);
      const key = instance.index_key;
      const index = typeof key === 'number' || typeof key === 'string' ? key : null;
      const address = index === null ? base : base + formatInstanceKey(index);
      if (typeof instance.deposed === 'string' && instance.deposed !== '') {
        deposed.push({ address, deposedKey: instance.deposed });
        continue;
      }
      resources.push({
        address,
        module,
        type: raw.type,
        name: raw.name,
        index,
        provider,
        providerAlias: alias,
        attributes,
        sensitivePaths: readSensitivePaths(instance.sensitive_attributes),
        tainted: instance.status === 'tainted',
        schemaVersion: typeof instance.schema_version === 'number' ? instance.schema_version : 0,
      });
    }
  }

  return {
    version: 4,
    terraformVersion: typeof state.terraform_version === 'string' ? state.terraform_version : '',
    serial: typeof state.serial === 'number' ? state.serial : 0,
    lineage: typeof state.lineage === 'string' ? state.lineage : '',
    resources,
    deposed,
    dataSources,
  };
}

/** The instance's attributes (or its legacy attributes_flat), or null when it has neither. */
function readAttributes(instance: RawInstance): Record<string, unknown> | null {
  if (instance === null || typeof instance !== 'object') return null;
  const attributes = instance.attributes;
  if (attributes !== null && typeof attributes === 'object' && !Array.isArray(attributes)) {
    return attributes as Record<string, unknown>;
  }
  const flat = instance.attributes_flat;
  if (flat !== null && typeof flat === 'object' && !Array.isArray(flat)) {
    return unflattenAttributes(flat as Record<string, unknown>);
  }
  return null;
}

function parseJson(text: string, source: string): unknown {
  if (text.trim() === '') {
    throw new DriftwatchError(
      'state',
      `${source} is empty: there is no Terraform state in it. Check that this is the state of the ` +
        'workspace (for a remote backend, `terraform state pull > terraform.tfstate` writes a local copy).',
    );
  }
  if (text.startsWith('PK')) {
    throw new DriftwatchError(
      'state',
      `${source} is a zip archive (a saved \`terraform plan -out\` file?), not a Terraform state. ` +
        'Pass the state itself: terraform.tfstate, or the output of `terraform state pull`.',
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const at = jsonErrorPosition(text, error);
    const where = `line ${at.line}, column ${at.column}`;
    if (at.truncated) {
      throw new DriftwatchError(
        'state',
        `${source} is cut short: ${at.reason} (${where}). The file was probably truncated while it was ` +
          'written or downloaded; fetch it again with `terraform state pull`.',
      );
    }
    throw new DriftwatchError(
      'state',
      `${source} is not valid JSON: ${at.reason} at ${where}. A Terraform state is the JSON file ` +
        'Terraform writes itself; fetch an untouched copy with `terraform state pull`.',
    );
  }
}

function checkVersion(root: unknown, source: string): void {
  const notState = (why: string): DriftwatchError =>
    new DriftwatchError(
      'state',
      `${source} is JSON but not a Terraform state: ${why}. Pass the workspace's state ` +
        '(terraform.tfstate, or the output of `terraform state pull`).',
    );
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    throw notState(`its top level is ${Array.isArray(root) ? 'an array' : 'not an object'}`);
  }
  const state = root as Record<string, unknown>;
  if ('format_version' in state && ('planned_values' in state || 'resource_changes' in state)) {
    throw notState('it is a plan rendered by `terraform show -json`');
  }
  if ('format_version' in state && 'values' in state) {
    throw notState('it is the output of `terraform show -json`, which leaves out what driftwatch needs');
  }
  const version = state.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw notState('it has no `version` number');
  }
  if (version <= 3) {
    throw new DriftwatchError(
      'state',
      `${source} is a version ${version} state, written by Terraform 0.11 or older; driftwatch reads ` +
        'version 4. Upgrade it with Terraform ≥ 0.12: run `terraform apply -refresh-only` (or ' +
        '`terraform refresh` before 0.15.4), or `terraform state pull` with Terraform ≥ 0.12, then scan again.',
    );
  }
  if (version > 4) {
    const writer =
      typeof state.terraform_version === 'string' ? `Terraform ${state.terraform_version}` : 'a newer Terraform';
    throw new DriftwatchError(
      'state',
      `${source} is a version ${version} state, written by ${writer}; driftwatch understands version 4 only. ` +
        'Upgrade driftwatch to a release that reads this format.',
    );
  }
  if (!Array.isArray(state.resources)) throw notState('it has no `resources` list');
}
