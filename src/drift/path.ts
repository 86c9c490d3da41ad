// Change paths: Terraform attribute paths as a person writes them (`tags.Env`,
// `versioning_configuration[0].status`, `tags["kubernetes.io/role"]`).
import type { PathStep } from '../terraform/types.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function formatPath(steps: readonly PathStep[]): string {
  let out = '';
  for (const step of steps) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (out === '') out = IDENTIFIER.test(step) ? step : `[${JSON.stringify(step)}]`;
    else out += IDENTIFIER.test(step) ? `.${step}` : `[${JSON.stringify(step)}]`;
  }
  return out;
}

/** Inverse of formatPath. Throws on a malformed path. */
export function parsePath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  let i = 0;
  while (i < path.length) {
    const ch = path[i];
    if (ch === '.') {
      i += 1;
      continue;
    }
    if (ch === '[') {
      const close = findClosingBracket(path, i);
      const inner = path.slice(i + 1, close);
      if (/^\d+$/.test(inner)) steps.push(Number(inner));
      else if (inner.startsWith('"')) steps.push(JSON.parse(inner) as string);
      else throw new Error(`malformed path step [${inner}] in ${path}`);
      i = close + 1;
      continue;
    }
    let end = i;
    while (end < path.length && path[end] !== '.' && path[end] !== '[') end += 1;
    steps.push(path.slice(i, end));
    i = end;
  }
  return steps;
}

function findClosingBracket(path: string, open: number): number {
  let inString = false;
  for (let i = open + 1; i < path.length; i += 1) {
    const ch = path[i];
    if (inString) {
      if (ch === '\\') i += 1;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === ']') return i;
  }
  throw new Error(`unclosed [ in path ${path}`);
}
