// The Terraform side of a scan: what the state declares and where the configuration writes it.
// Produced by the state parser and the HCL model; consumed by the diff, the report and the
// patch engine.

/** One path step inside a resource's attributes: an attribute name or a list index. */
export type PathStep = string | number;

/** One managed resource instance from the state (current object; deposed ones are only noted). */
export interface DeclaredResource {
  /** Full address: `module.app["x"].module.b[0].aws_instance.web[1]`. */
  address: string;
  /** Module part of the address, '' in the root module: `module.app["x"].module.b[0]`. */
  module: string;
  type: string;
  name: string;
  /** count index (number) or for_each key (string); null when the resource has neither. */
  index: string | number | null;
  /** Provider configuration address as the state writes it, alias included. */
  provider: string;
  /** Provider alias taken from `provider`, or null for the default configuration. */
  providerAlias: string | null;
  attributes: Record<string, unknown>;
  /** Paths the provider marked sensitive; their values never reach any output. */
  sensitivePaths: PathStep[][];
  tainted: boolean;
  schemaVersion: number;
}

export interface DeposedObject {
  address: string;
  deposedKey: string;
}

export interface ParsedState {
  version: 4;
  terraformVersion: string;
  serial: number;
  lineage: string;
  /** Managed resources only: data sources are left out. */
  resources: DeclaredResource[];
  /** Deposed objects (create_before_destroy leftovers): never compared, only reported. */
  deposed: DeposedObject[];
  /** How many data source instances were skipped. */
  dataSources: number;
}

/** A position in the configuration; `file` is relative to the root module dir, posix separators. */
export interface BlockLocation {
  file: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
}

export interface HclResourceBlock extends BlockLocation {
  mode: 'managed' | 'data';
  type: string;
  name: string;
  /** Static module path of the block, no instance keys: [] in the root, ['app', 'db'] nested. */
  modulePath: string[];
  /** Directory of the module that holds the block, relative to the root module ('' for root). */
  moduleDir: string;
  hasCount: boolean;
  hasForEach: boolean;
  /** Block body as hcl2-parser returns it (expressions as "${...}" strings). */
  body: Record<string, unknown>;
}

export interface HclModuleCall extends BlockLocation {
  name: string;
  /** Module path of the module that contains this call. */
  parentPath: string[];
  source: string;
  /** Local modules (./ or ../ sources) are loaded; remote ones are not. */
  local: boolean;
  /** Directory of the called module relative to the root module, when local. */
  dir: string | null;
  hasCount: boolean;
  hasForEach: boolean;
}

export interface HclAssumeRole {
  roleArn: string | null;
  externalId: string | null;
  sessionName: string | null;
}

export interface HclProvider extends BlockLocation {
  /** null for the default (unaliased) configuration. */
  alias: string | null;
  /** Resolved literal region, or null when it is not a literal (and no variable default resolves it). */
  region: string | null;
  defaultTags: Record<string, string>;
  assumeRole: HclAssumeRole | null;
  modulePath: string[];
}

export interface S3BackendConfig {
  bucket: string | null;
  key: string | null;
  region: string | null;
  workspaceKeyPrefix: string | null;
  dynamodbTable: string | null;
  useLockfile: boolean;
  roleArn: string | null;
  externalId: string | null;
  profile: string | null;
  endpoint: string | null;
}

export interface HclBackend extends BlockLocation {
  type: string;
  /** Literal attributes of the backend block. */
  config: Record<string, unknown>;
  /** Set when type is "s3". */
  s3: S3BackendConfig | null;
}

/** A file that could not be parsed: the other files still load. */
export interface HclError {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface HclModel {
  /** Relative paths of every .tf and .tf.json file loaded, root and local modules. */
  files: string[];
  backend: HclBackend | null;
  providers: HclProvider[];
  resources: HclResourceBlock[];
  modules: HclModuleCall[];
  /** terraform { required_version } of the root module, if any. */
  requiredVersion: string | null;
  /** Variable values known statically: defaults, then terraform.tfvars and *.auto.tfvars. */
  variables: Record<string, unknown>;
  errors: HclError[];
}

/** A configuration file's text, path relative to the root module dir. */
export interface SourceFile {
  path: string;
  text: string;
}
