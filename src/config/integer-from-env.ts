// One parser for whole-number settings, so every such variable fails with the same kind of
// message: its name, the allowed range and a value to write instead.
import { DriftwatchError } from '../errors.js';

export interface IntegerSetting {
  name: string;
  min: number;
  max: number;
}

export function integerFromEnv(env: Record<string, string | undefined>, spec: IntegerSetting, fallback: number): number {
  const raw = env[spec.name]?.trim();
  if (!raw) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max) {
    throw new DriftwatchError(
      'config',
      `${spec.name} must be a whole number from ${spec.min} to ${spec.max} (default ${fallback}); remove it or set it to, for example, ${fallback}`,
    );
  }
  return value;
}
