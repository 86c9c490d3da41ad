// Lookups over every file of the configuration (references to a resource, import blocks already
// written), computed once per set of texts rather than once per drift.
import type { Node } from 'web-tree-sitter';
import { dirOf } from './describe-source.js';
import { attributeExpression, blockKeyword, findAttribute, topLevelBlocks } from './hcl-syntax.js';
import { evaluateLiteral } from './hcl-literal.js';
import type { TreeCache } from './workspace.js';
import { cachedTree } from './workspace.js';

export interface ReferenceSite {
  path: string;
  row: number;
  start: number;
  end: number;
}

interface SourceIndex {
  /** `<dir>|<type>.<name>` → name → places where `<type>.<name>` is referenced. */
  references: Map<string, Map<string, ReferenceSite[]>>;
  /** import id → where an import block with that literal id is written (root module). */
  imports: Map<string, string> | null;
}

const indexes = new WeakMap<ReadonlyMap<string, string>, SourceIndex>();

function indexOf(texts: ReadonlyMap<string, string>): SourceIndex {
  let index = indexes.get(texts);
  if (!index) {
    index = { references: new Map(), imports: null };
    indexes.set(texts, index);
  }
  return index;
}

/** Every `<type>.<name>` traversal (references, depends_on) in the module directory `dir`. */
export function referencesOf(cache: TreeCache, texts: ReadonlyMap<string, string>, dir: string, type: string, name: string): ReferenceSite[] {
  const index = indexOf(texts);
  const key = `${dir}|${type}.${name}`;
  let byName = index.references.get(key);
  if (!byName) {
    byName = new Map();
    // Only files that spell `type.name` somewhere can refer to it; the others are not parsed.
    const spelled = `${type}.${name}`;
    for (const [path, text] of texts) {
      if (!path.endsWith('.tf') || dirOf(path) !== dir || !text.includes(spelled)) continue;
      for (const variable of cachedTree(cache, text).rootNode.descendantsOfType('variable_expr')) {
        if (variable.text !== type) continue;
        const next: Node | null = variable.nextNamedSibling;
        const target = next?.type === 'get_attr' ? next.namedChildren.find((child) => child.type === 'identifier')?.text : undefined;
        if (target === undefined) continue;
        const sites = byName.get(target) ?? [];
        sites.push({ path, row: variable.startPosition.row, start: variable.startIndex, end: variable.endIndex });
        byName.set(target, sites);
      }
    }
    index.references.set(key, byName);
  }
  return byName.get(name) ?? [];
}

/** Where an import block for this id is already written in the root module, if anywhere. */
export function importSite(cache: TreeCache, texts: ReadonlyMap<string, string>, id: string): string | null {
  const index = indexOf(texts);
  if (!index.imports) {
    const imports = new Map<string, string>();
    for (const [path, text] of texts) {
      if (path.includes('/') || !path.endsWith('.tf') || !text.includes('import')) continue;
      for (const block of topLevelBlocks(cachedTree(cache, text))) {
        if (blockKeyword(block) !== 'import') continue;
        const attribute = findAttribute(block, 'id');
        const expression = attribute ? attributeExpression(attribute) : null;
        const value = expression ? evaluateLiteral(expression) : null;
        if (value?.literal && typeof value.value === 'string' && !imports.has(value.value)) {
          imports.set(value.value, `${path}:${block.startPosition.row + 1}`);
        }
      }
    }
    index.imports = imports;
  }
  return index.imports.get(id) ?? null;
}
