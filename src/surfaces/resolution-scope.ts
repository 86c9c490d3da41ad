// What a scan may resolve, from its reports: the workspaces it read (complete or partial), and
// per workspace the families it could not read. Failed and disabled workspaces resolve nothing.
import type { WorkspaceReport } from '../repository/types.js';
import type { ResolutionScope } from './types.js';

export function resolutionScope(input: {
  reports: readonly WorkspaceReport[];
  /** Terraform type → its family's live type (familyForType(type)?.liveType). */
  liveTypeOf: (type: string) => string | undefined;
  commitSha: string;
  at: string;
}): ResolutionScope {
  const read = input.reports.filter((report) => report.result !== null && (report.status === 'complete' || report.status === 'partial'));
  return {
    workspaces: read.map((report) => report.workspace),
    // ScanResult.unknown names the family by its live type; a region that failed is part of the
    // reason, so the whole family counts as unknown.
    unknown: read.flatMap((report) => (report.result?.unknown ?? []).map((family) => ({ workspace: report.workspace, liveType: family.type }))),
    liveTypeOf: input.liveTypeOf,
    commitSha: input.commitSha,
    at: input.at,
  };
}
