// `sensitive_attributes` as the state writes it: a list of paths, each a list of steps
// (`{"type":"get_attr","value":"password"}`, `{"type":"index","value":{"value":0,"type":"number"}}`).
import type { PathStep } from './types.js';

/**
 * Reads the sensitive paths of one instance. Index steps are accepted both as Terraform's typed
 * value (`{"value":0,"type":"number"}`) and as a bare JSON number or string; a path with a step
 * that cannot be read is cut at that step, so that everything below it stays covered.
 */
export function readSensitivePaths(raw: unknown): PathStep[][] {
  if (!Array.isArray(raw) || raw.length === 0) return [];
  const paths: PathStep[][] = [];
  for (const rawPath of raw) {
    const path = readPath(rawPath);
    if (path.length > 0) paths.push(path);
  }
  return paths;
}

function readPath(rawPath: unknown): PathStep[] {
  // A bare attribute name is how hand-written or converted states sometimes record a path.
  if (typeof rawPath === 'string') return [rawPath];
  if (!Array.isArray(rawPath)) return [];
  const path: PathStep[] = [];
  for (const rawStep of rawPath) {
    const step = readStep(rawStep);
    if (step === undefined) break;
    path.push(step);
  }
  return path;
}

function readStep(rawStep: unknown): PathStep | undefined {
  if (typeof rawStep === 'string' || typeof rawStep === 'number') return rawStep;
  if (rawStep === null || typeof rawStep !== 'object') return undefined;
  const { type, value } = rawStep as { type?: unknown; value?: unknown };
  if (type === 'get_attr') return typeof value === 'string' ? value : undefined;
  if (type !== 'index') return undefined;
  return readIndexKey(value);
}

function readIndexKey(value: unknown): PathStep | undefined {
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return undefined;
  const typed = value as { value?: unknown; type?: unknown };
  if (typed.type === 'number') {
    // cty writes very large numbers as strings to keep their precision.
    const number = typeof typed.value === 'string' ? Number(typed.value) : typed.value;
    return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
  }
  if (typeof typed.value === 'string' || typeof typed.value === 'number') return typed.value;
  return undefined;
}
