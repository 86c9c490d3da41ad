// The configuration as driftwatch needs it: where each resource is written, which backend holds
// the state, which regions and roles the providers use. Pure: takes file texts, returns data.
import type { Parser } from 'web-tree-sitter';
import { readBackend } from './hcl-backend.js';
import { parseHclFile, type HclTopBlock, type ParsedHclFile } from './hcl-file.js';
import { parseHclJsonFile } from './hcl-json-file.js';
import { isLiteral, literalString, resolveValue } from './hcl-literals.js';
import { fileDir, isLocalSource, localModuleDir, normalizeFilePath } from './hcl-module-dir.js';
import { readProvider } from './hcl-provider.js';
import type { HclError, HclModel, HclModuleCall, SourceFile } from './types.js';

/** Arguments of a module call that are Terraform's, not input variables of the module. */
const META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

interface ModuleVisit {
  dir: string;
  path: string[];
  /** Directories of the calling modules, for cycle protection. */
  ancestors: string[];
  /** Variable values known from the call (root: none). */
  inputs: Record<string, unknown>;
}

/**
 * Builds the model of a root module and the local modules it calls. `files` are paths relative
 * to the root module dir; files in directories no module reaches are ignored. A file that does
 * not parse adds an HclError and no blocks; the others still load. `prepared`: files already
 * parsed (prepareHclFiles), by path; the others are parsed here.
 */
export function buildHclModel(files: SourceFile[], parser: Parser, prepared?: ReadonlyMap<string, ParsedHclFile>): HclModel {
  const texts = new Map<string, string>();
  const byDir = new Map<string, string[]>();
  for (const file of files) {
    const path = normalizeFilePath(file.path);
    texts.set(path, file.text);
    if (!isConfigFile(path)) continue;
    const dir = fileDir(path);
    const list = byDir.get(dir) ?? [];
    list.push(path);
    byDir.set(dir, list);
  }
  for (const list of byDir.values()) list.sort();

  const model: HclModel = {
    files: [],
    backend: null,
    providers: [],
    resources: [],
    modules: [],
    requiredVersion: null,
    variables: {},
    errors: [],
  };
  const parsed = new Map<string, ParsedHclFile>();
  const parse = (path: string): ParsedHclFile => {
    let file = parsed.get(path);
    if (!file) {
      const text = texts.get(path) ?? '';
      file = prepared?.get(path) ?? (path.endsWith('.json') ? parseHclJsonFile(path, text) : parseHclFile(path, text, parser));
      parsed.set(path, file);
      model.errors.push(...file.errors);
    }
    return file;
  };
  const listed = new Set<string>();

  const queue: ModuleVisit[] = [{ dir: '', path: [], ancestors: [], inputs: {} }];
  while (queue.length > 0) {
    const visit = queue.shift()!;
    const paths = byDir.get(visit.dir) ?? [];
    for (const path of paths) {
      if (!listed.has(path)) model.files.push(path);
      listed.add(path);
    }
    const moduleFiles = paths.map(parse);
    const isRoot = visit.path.length === 0;
    const scope = isRoot ? rootVariables(moduleFiles, [...texts.keys()], parse) : moduleVariables(moduleFiles, visit.inputs);
    if (isRoot) model.variables = scope;
    const children: ModuleVisit[] = [];
    for (const file of moduleFiles) {
      for (const block of file.blocks) {
        switch (block.type) {
          case 'resource':
          case 'data':
            if (block.labels.length !== 2) break;
            model.resources.push({
              file: file.path,
              startLine: block.startLine,
              endLine: block.endLine,
              mode: block.type === 'data' ? 'data' : 'managed',
              type: block.labels[0]!,
              name: block.labels[1]!,
              modulePath: visit.path,
              moduleDir: visit.dir,
              hasCount: block.attributeNames.includes('count'),
              hasForEach: block.attributeNames.includes('for_each'),
              body: block.body,
            });
            break;
          case 'provider':
            if (block.labels[0] === 'aws') model.providers.push(readProvider(block, file.path, visit.path, scope));
            break;
          case 'module': {
            const call = moduleCall(block, file.path, visit);
            model.modules.push(call);
            const child = childVisit(call, block, visit, scope, byDir, model.errors);
            if (child) children.push(child);
            break;
          }
          case 'terraform':
            if (!isRoot) break;
            model.requiredVersion ??= literalString(block.body.required_version);
            model.backend ??= readBackend(block, file.path);
            break;
        }
      }
    }
    // Depth-first: a module's own calls come right after it, in the order they are written.
    queue.unshift(...children);
  }
  return model;
}

/** The native-syntax files parsed for buildHclModel, one at a time with a turn of the event loop
 * between them, so a server answers requests while a large configuration is read. `values`:
 * hcl2-parser's reading of each text when it was read elsewhere (a worker thread), by text. */
export async function prepareHclFiles(files: SourceFile[], parser: Parser, values?: ReadonlyMap<string, Record<string, unknown> | null>): Promise<Map<string, ParsedHclFile>> {
  const prepared = new Map<string, ParsedHclFile>();
  for (const file of files) {
    const path = normalizeFilePath(file.path);
    if (path.endsWith('.json') || prepared.has(path)) continue;
    await new Promise((resolve) => setImmediate(resolve));
    prepared.set(path, parseHclFile(path, file.text, parser, values?.has(file.text) ? values.get(file.text) : undefined));
  }
  return prepared;
}

function isConfigFile(path: string): boolean {
  return path.endsWith('.tf') || path.endsWith('.tf.json');
}

function moduleCall(block: HclTopBlock, file: string, visit: ModuleVisit): HclModuleCall {
  const source = literalString(block.body.source) ?? '';
  const local = isLocalSource(source);
  return {
    file,
    startLine: block.startLine,
    endLine: block.endLine,
    name: block.labels[0] ?? '',
    parentPath: visit.path,
    source,
    local,
    dir: local ? localModuleDir(visit.dir, source) : null,
    hasCount: block.attributeNames.includes('count'),
    hasForEach: block.attributeNames.includes('for_each'),
  };
}

function childVisit(
  call: HclModuleCall,
  block: HclTopBlock,
  visit: ModuleVisit,
  scope: Record<string, unknown>,
  byDir: Map<string, string[]>,
  errors: HclError[],
): ModuleVisit | null {
  if (!call.local || call.dir === null) return null;
  const at = { file: call.file, line: call.startLine, column: 1 };
  if (call.dir === visit.dir || visit.ancestors.includes(call.dir)) {
    errors.push({
      ...at,
      message: `module "${call.name}" calls ${call.source}, a module that is already calling it; driftwatch does not follow the loop`,
    });
    return null;
  }
  if (!byDir.has(call.dir)) {
    errors.push({
      ...at,
      message: `module "${call.name}" calls ${call.source}, but no .tf files were found in ${call.dir}`,
    });
    return null;
  }
  const inputs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(block.body)) {
    if (META_ARGUMENTS.has(name)) continue;
    const known = resolveValue(value, scope);
    if (known !== undefined) inputs[name] = known;
  }
  return { dir: call.dir, path: [...visit.path, call.name], ancestors: [...visit.ancestors, visit.dir], inputs };
}

/** `variable` defaults of a module's files, literals only. */
function variableDefaults(files: ParsedHclFile[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const file of files) {
    for (const block of file.blocks) {
      if (block.type !== 'variable' || block.labels.length !== 1) continue;
      if (!Object.hasOwn(block.body, 'default') || !isLiteral(block.body.default)) continue;
      values[block.labels[0]!] = block.body.default;
    }
  }
  return values;
}

function moduleVariables(files: ParsedHclFile[], inputs: Record<string, unknown>): Record<string, unknown> {
  return { ...variableDefaults(files), ...inputs };
}

/** Root variables as Terraform orders them: defaults, terraform.tfvars(.json), *.auto.tfvars(.json). */
function rootVariables(
  files: ParsedHclFile[],
  allPaths: string[],
  parse: (path: string) => ParsedHclFile,
): Record<string, unknown> {
  const values = variableDefaults(files);
  const rootPaths = allPaths.filter((path) => fileDir(path) === '');
  const tfvars = ['terraform.tfvars', 'terraform.tfvars.json'].filter((path) => rootPaths.includes(path));
  const auto = rootPaths.filter((path) => /\.auto\.tfvars(\.json)?$/.test(path)).sort();
  for (const path of [...tfvars, ...auto]) {
    for (const [name, value] of Object.entries(parse(path).attributes)) {
      if (isLiteral(value)) values[name] = value;
    }
  }
  return values;
}
