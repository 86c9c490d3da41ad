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
import { buildPatchSet, loadPatchEngine, startPatchEngine } from './patch/build-patch-set.js';
import type { PatchDirection, PatchSet } from './patch/types.js';
import type { Hcl2Reader } from './patch/hcl2-parse.js';
import type { ScanResult } from './report/types.js';
import { families, familyForType } from './resources/index.js';
import type { DeclareContext } from './resources/family.js';
import type { LiveInventory } from './resources/live-types.js';
import { parseInventory } from './resources/parse-inventory.js';
import { backendResourceKeys } from './scan/backend-resources.js';
import { bucketSettingsToRead } from './scan/bucket-settings-to-read.js';
import { patchTargets } from './scan/patch-targets.js';
import { readWorkspaceState } from './scan/read-state.js';
import { buildHclModel, prepareHclFiles } from './terraform/hcl-model.js';
import { loadModuleFiles } from './terraform/load-module.js';
import { providerRegions } from './terraform/provider-regions.js';
import { parseState } from './terraform/state.js';
import { loadTerraformParser } from './terraform/tree-sitter.js';
import type { FileSource } from './terraform/file-source.js';
import type { HclModel, ParsedState, SourceFile } from './terraform/types.js';

export interface WorkspaceSource {
  /** Root module directory (on disk, or relative to the repository root for a repository source). */
  dir: string;
  /** Where the configuration and a committed state are read: the disk by default, or a
   * repository's tree at the scanned commit (the GitHub App). */
  files?: FileSource;
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
  /** The configuration's files (paths relative to the root module), for patches in the other
   * direction (buildPatches). */
  files: SourceFile[];
  inventory: LiveInventory;
  /** AWS API attempts the scan made (state, collection, other workspaces' states, attribution). */
  apiCalls: number;
  /** The parsed state, for patches in the other direction. Holds secrets: never rendered whole. */
  state: ParsedState;
}

export async function scan(request: ScanRequest, deps: ScanDependencies): Promise<ScanOutcome> {
  const now = deps.now();
  const terraformWorkspace = request.terraformWorkspace ?? 'default';
  const made: AwsClients[] = [];
  let clients: AwsClients | undefined;
  const aws = (): AwsClients => (clients ??= makeClients(request, deps, made));

  // The patch engine loads (WebAssembly, and hcl2-parser in its worker thread) while the state is
  // read and AWS answers; a failure shows where the patches are built. The scan owns it and
  // closes it, like its clients: the app runs many scans in one process.
  const engine = request.patch ? startPatchEngine() : null;
  engine?.ready.catch(() => undefined);

  try {
    // 1. configuration
    // hcl2-parser on the engine's worker thread reads this workspace's configuration and the other
    // workspaces' (loadConfiguration).
    const hcl2 = engine ? await engine.ready.then((ready) => ready.hcl2, () => undefined) : undefined;
    const { files, model } = await loadConfiguration(request.dir, request.files, hcl2);
    const notes: string[] = [];
    const regionInfo = providerRegions(model, deps.defaultRegion);
    const regions = request.regions ?? (regionInfo.regions.length > 0 ? regionInfo.regions : [regionInfo.defaultRegion]);
    const context: DeclareContext = { defaultRegion: regionInfo.defaultRegion, regionByAlias: regionInfo.regionByAlias };

    // 2. state
    const stateSource = await readWorkspaceState({ dir: request.dir, model, state: request.state, files: request.files, terraformWorkspace, defaultRegion: regionInfo.defaultRegion, s3: () => aws().s3 });
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
    const others = await otherWorkspaceStates(request.otherWorkspaces ?? [], deps, aws, hcl2);
    notes.push(...others.notes);
    const managedElsewhere = new Set<string>();
    for (const other of others.states) for (const key of declaredKeys(other, families, context)) managedElsewhere.add(key);

    // 5. analyze
    const excluded = backendResourceKeys(stateSource.bucket, model.backend);
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
      result.notes.push(...failures);
    }

    // 7. patches (no diff may show a secret: the output is scrubbed of them)
    const secrets = collectSecrets(state);
    let patchSet: PatchSet | null = null;
    if (request.patch && engine) {
      patchSet = await buildPatchSet({ direction: request.patch, files, model, targets: patchTargets(result.drifts, model, familyForType, state), engine: await engine.ready, secrets });
      const byFingerprint = new Map(patchSet.patches.map((patch) => [patch.fingerprint, patch]));
      for (const drift of result.drifts) drift.patch = byFingerprint.get(drift.fingerprint) ?? null;
    }

    const apiCalls = made.reduce((sum, factory) => sum + factory.totals().calls, 0);
    return { result, patchSet, secrets, model, files, inventory, apiCalls, state };
  } finally {
    for (const factory of made) factory.destroy();
    await engine?.close();
  }
}

/** Patches in another direction than the scan's own, from what the scan already read: a fix pull
 * request wants restore or accept whatever the scan built for its report. */
export async function buildPatches(outcome: Pick<ScanOutcome, 'result' | 'model' | 'files' | 'state' | 'secrets'>, direction: PatchDirection): Promise<PatchSet> {
  // Its own engine, closed when done: nothing outlives the call.
  const engine = await loadPatchEngine();
  try {
    return await buildPatchSet({ direction, files: outcome.files, model: outcome.model, targets: patchTargets(outcome.result.drifts, outcome.model, familyForType, outcome.state), engine, secrets: outcome.secrets });
  } finally {
    await engine.close();
  }
}

/** hcl2-parser needs 4 to 7 ms per kilobyte of HCL, seconds for a large root module: with a
 * reader on a worker thread (the patch engine's), the values are read there; tree-sitter reads
 * one file at a time in this thread. So the app's main thread keeps answering webhooks while a
 * scan reads its configuration (bench/webhooks.ts). */
async function loadConfiguration(dir: string, source?: FileSource, hcl2?: Hcl2Reader): Promise<{ files: SourceFile[]; model: HclModel }> {
  const files = await loadModuleFiles(dir, source);
  const parser = await loadTerraformParser();
  let values: Map<string, Record<string, unknown> | null> | undefined;
  if (hcl2) {
    const texts = [...new Set(files.filter((file) => !file.path.endsWith('.json')).map((file) => file.text))];
    const bodies = await hcl2.parse(texts);
    values = new Map(texts.map((text, i) => [text, bodies[i] ?? null]));
  }
  return { files, model: buildHclModel(files, parser, await prepareHclFiles(files, parser, values)) };
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
  hcl2: Hcl2Reader | undefined,
): Promise<{ states: ParsedState[]; notes: string[]; complete: boolean }> {
  const states: ParsedState[] = [];
  const notes: string[] = [];
  for (const source of sources) {
    try {
      const { model } = await loadConfiguration(source.dir, source.files, hcl2);
      const region = providerRegions(model, deps.defaultRegion).defaultRegion;
      const read = await readWorkspaceState({ dir: source.dir, model, state: source.state, files: source.files, terraformWorkspace: source.terraformWorkspace ?? 'default', defaultRegion: region, s3: () => aws().s3 });
      states.push(parseState(read.text, read.source));
    } catch (error) {
      if (!isDriftwatchError(error)) throw error;
      notes.push(`Unmanaged resources are not reported: the state of ${source.dir} could not be read (${error.message}).`);
    }
  }
  return { states, notes, complete: notes.length === 0 };
}
