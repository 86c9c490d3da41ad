// One registry of job definitions, by name. Features (scans, the weekly briefing, housekeeping)
// register their jobs here; the queue and the scheduler find them again by name — after a
// restart, or on another machine — and import no feature themselves.
import type { JobDefinition } from './types.js';

export interface JobRegistry {
  register<T>(definition: JobDefinition<T>): void;
  get(name: string): JobDefinition<unknown> | undefined;
  all(): JobDefinition<unknown>[];
}

export function createJobRegistry(): JobRegistry {
  const byName = new Map<string, JobDefinition<unknown>>();
  return {
    register(definition) {
      if (byName.has(definition.name)) throw new Error(`A job named "${definition.name}" is already registered: job names must be unique.`);
      byName.set(definition.name, definition as JobDefinition<unknown>);
    },
    get: (name) => byName.get(name),
    all: () => [...byName.values()],
  };
}
