// Which family covers each Terraform type, for a given set of families.
import type { ResourceFamily } from './family.js';

export function familiesByType(families: readonly ResourceFamily[]): Map<string, ResourceFamily> {
  const byType = new Map<string, ResourceFamily>();
  for (const family of families) for (const type of family.terraformTypes) byType.set(type, family);
  return byType;
}
