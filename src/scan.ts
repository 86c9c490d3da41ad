// One scan of one workspace, used by the CLI, the app and scheduled jobs. Steps:
//   1. load the configuration (root module and its local modules)
//   2. read and parse the state (--state, the backend block, or terraform.tfstate)
//   3. read live AWS (collectors) or a recorded inventory (--live)
//   4. learn what the repository's other workspaces manage (never unmanaged)
//   5. analyze: diff, ignore rules, redaction, risk, cost, fingerprints (pure)
//   6. attribute each drift to a CloudTrail event
//   7. build restore/accept patches
import { analyze } from './analyze.js';
import { assumeRoleCredentials } from './aws/assume-role.js';
import { createAwsClients, type AwsClients } from './aws/clients.js';
import { attributeDrifts } from './aws/cloudtrail-attribution.js';
import { collectInventory, type CollectProgress } from './aws/collect-inventory.js';
import { getAccountId } from './aws/get-account-id.js';
import type { AwsSettings } from './aws/settings.js';
import { createCloudTrailLimiter } from './aws/token-bucket.js';
import { loadPriceTable } from './cost/price.js';
import { declaredKeys } from './drift/diff.js';
import type { IgnoreRule } from './drift/ignore.js';
import { collectSecrets } from './drift/redact.js';
import { isDriftwatchError } from './errors.js';
import { readTextFile } from './read-text-file.js';
import { buildPatchSet, loadPatchEngine } from './patch/build-patch-set.js';
import type { PatchDirection, PatchSet } from './patch/types.js';
import type { ScanResult } from './report/types.js';
import { families, familyForType } from './resources/index.js';
import type { DeclareContext } from './resources/family.js';
import type { LiveInventory } from './resources/live-types.js';
import { parseInventory } from './resources/parse-inventory.js';
import { bucketSettingsToRead } from './scan/bucket-settings-to-read.js';
import { patchTargets } from './scan/patch-targets.js';
import { readWorkspaceState } from './scan/read-state.js';
import { formatHclError } from './terraform/hcl-format-error.js';
import { buildHclModel } from './terraform/hcl-model.js';
import { loadModuleFiles } from './terraform/load-module.js';
import { providerRegions } from './terraform/provider-regions.js';
import { parseState } from './terraform/state.js';
import { loadTerraformParser } from './terraform/tree-sitter.js';
import type { HclModel, ParsedState, SourceFile } from './terraform/types.js';

export interface WorkspaceSource {
  /** Root module directory. */
  dir: string;
  /** --state: a file or s3://bucket/key; default: the backend block. */
  state?: string;
  terraformWorkspace?: string;
}

export interface ScanRequest extends WorkspaceSource {
  /** Name in reports and fingerprints. */
  workspace: string;
  /** A recorded inventory (docs/inventory.md) instead of live AWS. */
  live?: string;
  /** Regions to scan; default: every region the provider "aws" blocks name. */
  regions?: string[];
  ignore?: IgnoreRule[];
  reportUnmanaged?: boolean;
  attribution?: { enabled: boolean; lookbackDays: number };
  patch?: PatchDirection;
  /** The repository's other workspaces: what they manage is never unmanaged here. */
  otherWorkspaces?: WorkspaceSource[];
  roleArn?: string;
  externalId?: string;
}

export interface ScanDependencies {
  now: () => Date;
  awsSettings: AwsSettings;
  /** Region for calls that need one before the configuration names any (AWS_REGION). */
  defaultRegion: string;
  createClients?: typeof createAwsClients;
  onProgress?: (progress: CollectProgress) => void;
}

export interface ScanOutcome {
  result: ScanResult;
  patchSet: PatchSet | null;
  /** Secret values from the state: every rendered output is scrubbed of them. */
  secrets: string[];
  model: HclModel;
  inventory: LiveInventory;
}

export async function scan(request: ScanRequest, deps: ScanDependencies): Promise<ScanOutcome> {
  const now = deps.now();
  const terraformWorkspace = request.terraformWorkspace ?? 'default';
  const made: AwsClients[] = [];
  let clients: AwsClients | undefined;
  const aws = (): AwsClients => (clients ??= makeClients(request, deps, made));

  // The patch engine loads (WebAssembly, and hcl2-parser in its worker thread) while the state is
  // read and AWS answers; a failure shows where the patches are built.
  const engineLoading = request.patch ? loadPatchEngine() : null;
  engineLoading?.catch(() => undefined);

  try {
    // 1. configuration
    const { files, model } = await loadConfiguration(request.dir);
    const notes = model.errors.map((error) => `${formatHclError(error)} — locations and patches for resources in this file are missing.`);
    const regionInfo = providerRegions(model, deps.defaultRegion);
    const regions = request.regions ?? (regionInfo.regions.length > 0 ? regionInfo.regions : [regionInfo.defaultRegion]);
    const context: DeclareContext = { defaultRegion: regionInfo.defaultRegion, regionByAlias: regionInfo.regionByAlias };

    // 2. state
    const stateSource = await readWorkspaceState({ dir: request.dir, model, state: request.state, terraformWorkspace, defaultRegion: regionInfo.defaultRegion, s3: () => aws().s3 });
    const state = parseState(stateSource.text, stateSource.source);

    // 3. live
    const inventory = request.live
      ? parseInventory(await readTextFile(request.live, 'inventory'), request.live)
      : await collectInventory({
          regions,
          clients: aws(),
          // Also the credential check: bad or missing credentials stop here, with what to do.
          account: await getAccountId(aws(), regions[0]),
          bucketSettings: bucketSettingsToRead(state, context),
          onProgress: deps.onProgress,
          now: deps.now,
        });

    // 4. other workspaces
    const others = await otherWorkspaceStates(request.otherWorkspaces ?? [], deps, aws);
    notes.push(...others.notes);
    const managedElsewhere = new Set<string>();
    for (const other of others.states) for (const key of declaredKeys(other, families, context)) managedElsewhere.add(key);

    // 5. analyze
    const excluded = new Set<string>();
    if (stateSource.bucket) excluded.add(`aws_s3_bucket:${stateSource.bucket}`);
    const result = analyze({
      workspace: request.workspace,
      state,
      inventory,
      model,
      families,
      context,
      prices: loadPriceTable(),
      now,
      ignore: request.ignore,
      managedElsewhere,
      excluded,
      // Without every other workspace's state, "unmanaged" could mean "managed next door".
      reportUnmanaged: (request.reportUnmanaged ?? true) && others.complete,
      notes,
    });

    // 6. attribution: only against the account the drifts were read from
    const attribution = request.attribution ?? { enabled: true, lookbackDays: 7 };
    if (attribution.enabled && !request.live && result.drifts.length > 0) {
      const failures: string[] = [];
      const found = await attributeDrifts(result.drifts, {
        lookup: aws().cloudtrail,
        now,
        lookbackDays: attribution.lookbackDays,
        limiter: createCloudTrailLimiter(),
        onError: (error) => failures.push(error instanceof Error ? error.message : String(error)),
      });
      for (const drift of result.drifts) drift.attribution = found.get(drift.fingerprint) ?? null;
      for (const failure of failures) result.notes.push(`Attribution unavailable for some drifts: ${failure}`);
    }

    // 7. patches (no diff may show a secret: the output is scrubbed of them)
    const secrets = collectSecrets(state);
    let patchSet: PatchSet | null = null;
    if (request.patch && engineLoading) {
      const engine = await engineLoading;
      patchSet = await buildPatchSet({ direction: request.patch, files, model, targets: patchTargets(result.drifts, model, familyForType, state), engine, secrets });
      const byFingerprint = new Map(patchSet.patches.map((patch) => [patch.fingerprint, patch]));
      for (const drift of result.drifts) drift.patch = byFingerprint.get(drift.fingerprint) ?? null;
    }

    return { result, patchSet, secrets, model, inventory };
  } finally {
    for (const factory of made) factory.destroy();
  }
}

async function loadConfiguration(dir: string): Promise<{ files: SourceFile[]; model: HclModel }> {
  const files = await loadModuleFiles(dir);
  const parser = await loadTerraformParser();
  return { files, model: buildHclModel(files, parser) };
}

/** The workspace's account: the default credential chain, or a role assumed with it. Every
 * factory made is recorded, so the scan closes them all. */
function makeClients(request: ScanRequest, deps: ScanDependencies, made: AwsClients[]): AwsClients {
  const create = (credentials?: Parameters<typeof createAwsClients>[0]['credentials']): AwsClients => {
    const factory = (deps.createClients ?? createAwsClients)(credentials ? { settings: deps.awsSettings, credentials } : { settings: deps.awsSettings });
    made.push(factory);
    return factory;
  };
  const base = create();
  if (!request.roleArn) return base;
  const credentials = assumeRoleCredentials({
    roleArn: request.roleArn,
    externalId: request.externalId ?? null,
    allowlist: deps.awsSettings.assumeRoleAllowlist,
    stsClient: base.sts(deps.defaultRegion),
  });
  return create(credentials);
}

async function otherWorkspaceStates(
  sources: WorkspaceSource[],
  deps: ScanDependencies,
  aws: () => AwsClients,
): Promise<{ states: ParsedState[]; notes: string[]; complete: boolean }> {
  const states: ParsedState[] = [];
  const notes: string[] = [];
  for (const source of sources) {
    try {
      const { model } = await loadConfiguration(source.dir);
      const region = providerRegions(model, deps.defaultRegion).defaultRegion;
      const read = await readWorkspaceState({ dir: source.dir, model, state: source.state, terraformWorkspace: source.terraformWorkspace ?? 'default', defaultRegion: region, s3: () => aws().s3 });
      states.push(parseState(read.text, read.source));
    } catch (error) {
      if (!isDriftwatchError(error)) throw error;
      notes.push(`Unmanaged resources are not reported: the state of ${source.dir} could not be read (${error.message}).`);
    }
  }
  return { states, notes, complete: notes.length === 0 };
}
