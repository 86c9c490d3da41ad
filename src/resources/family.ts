// The one interface every AWS resource family implements (registered in resources/index.ts).
// Adding coverage means adding one folder under resources/ that exports a ResourceFamily and a
// collector (resources/<family>/collect.ts, registered in resources/collectors.ts); the
// conformance test walks the registry.
import type { Drift } from '../drift/types.js';
import type { Signal } from '../risk/types.js';
import type { PriceTable } from '../cost/types.js';
import type { DeclaredResource } from '../terraform/types.js';
import type { LiveResource, LiveType } from './live-types.js';

/** The state's resources for one live object: e.g. a bucket and its split settings. */
export interface DeclaredObject {
  /** Match key, the same string `liveKey` gives the live counterpart. */
  key: string;
  type: LiveType;
  id: string;
  /** Region the object lives in ("global" for IAM); used to tell unknown from deleted. */
  region: string;
  /** The resource of the live type itself, or null when only related resources are in state
   * (rules of a group another workspace manages, say). */
  primary: DeclaredResource | null;
  /** Related resources of the family's other types, in state order. */
  parts: DeclaredResource[];
  /** Attributes of the primary resource that its configuration leaves out and the provider fills
   * from AWS (Optional and Computed, such as aws_security_group's `ingress`/`egress`): Terraform
   * never plans a change to them, so what differs there is no change of this resource. */
  computedAttributes?: ReadonlySet<string>;
}

export interface DeclareContext {
  /** Region of the default provider configuration, and of each alias. */
  defaultRegion: string;
  regionByAlias: Record<string, string>;
  /** Names of the arguments and nested blocks (`dynamic "x"` counts as x) the configuration block
   * of the resource at `address` writes; null when that block could not be read (its file did not
   * parse, a remote module). Absent when no configuration was loaded. */
  configuredArguments?: (address: string) => ReadonlySet<string> | null;
}

export interface CompareContext {
  /** Keys other workspaces of the repository declare: live keys, and the part keys
   * (`partKeys`) of the related resources they hold. */
  managedElsewhere: ReadonlySet<string>;
}

/** A resource block to generate when accepting an unmanaged resource. */
export interface GeneratedResource {
  type: string;
  /** Suggested Terraform name (a valid identifier). */
  name: string;
  /** What `import { id = ... }` takes. */
  importId: string;
  /** Arguments; nested blocks are written as arrays of objects under `blocks`. */
  attributes: Record<string, unknown>;
  blocks: Record<string, Record<string, unknown>[]>;
}

export interface ResourceFamily {
  /** kebab-case folder name, e.g. "ec2-instances". */
  name: string;
  liveType: LiveType;
  /** Every Terraform type the family covers; the live type first. */
  terraformTypes: readonly string[];
  declare(resources: DeclaredResource[], ctx: DeclareContext): DeclaredObject[];
  liveKey(live: LiveResource): string;
  /** Drifts between one declared object and its live counterpart: modified, deleted for a related
   * resource whose live part is gone, or unmanaged for a live part no resource owns (a rule on a
   * group whose configuration leaves its rules to the provider). No signals yet: they come after
   * ignore rules. */
  compare(declared: DeclaredObject, live: LiveResource, ctx?: CompareContext): Drift[];
  /** Keys of the live parts an object's related resources own, so another workspace's scan does
   * not report them as unmanaged parts; absent when the family has no such parts. */
  partKeys?(declared: DeclaredObject): string[];
  /** Drifts for a declared object with no live counterpart. */
  deleted(declared: DeclaredObject): Drift[];
  /** AWS-created objects (defaults, service-linked, AWS-managed) are never unmanaged. */
  isAwsDefault(live: LiveResource): boolean;
  /** Risk facts about a drift, for the catalog. */
  signals(drift: Drift): Signal[];
  /** Monthly USD delta; null when it changes the bill but the price is unknown; undefined when
   * the drift does not change the bill. */
  cost(drift: Drift, prices: PriceTable): number | null | undefined;
  /** AWS CLI command(s) that remove what Terraform would not: unmanaged resources, and live-only
   * elements of sets Terraform does not own. null when there is none. */
  remediation(drift: Drift): string | null;
  /** The resource block (and import id) that codifies an unmanaged live object. */
  generate(live: LiveResource): GeneratedResource;
}
