// aws_iam_role and aws_iam_policy from AWS, once per scan (IAM is global): one paginated
// GetAccountAuthorizationDetails for roles (trust, inline and attached policies, tags, boundary)
// and customer-managed policies with their documents, plus ListRoles, the batch call that carries
// each role's Description and MaxSessionDuration. Never a call per role.
import {
  paginateGetAccountAuthorizationDetails,
  paginateListRoles,
  type ManagedPolicyDetail,
  type Role,
  type RoleDetail,
} from '@aws-sdk/client-iam';
import { failureReason } from '../../aws/sdk-failure.js';
import type { CollectContext, Collector } from '../collectors.js';
import type { LiveResource } from '../live-types.js';
import type { RawIam } from '../raw-types.js';
import { normalizeIam } from './normalize.js';

/** Role attributes only ListRoles returns. */
const LISTED_ROLE_ATTRIBUTES = ['description', 'max_session_duration'] as const;

export interface CollectedIam {
  raw: RawIam;
  /** Why ListRoles failed, when it did: the family is still collected, without those attributes. */
  listRolesFailure?: string;
}

export async function collectIam(ctx: Pick<CollectContext, 'clients'>): Promise<CollectedIam> {
  const client = ctx.clients.iam();
  const details = (async () => {
    const roles: RoleDetail[] = [];
    const policies: ManagedPolicyDetail[] = [];
    const pages = paginateGetAccountAuthorizationDetails({ client, pageSize: 1000 }, { Filter: ['Role', 'LocalManagedPolicy'] });
    for await (const page of pages) {
      roles.push(...(page.RoleDetailList ?? []));
      policies.push(...(page.Policies ?? []));
    }
    return { roles, policies };
  })();
  const listed = (async () => {
    const roles: Role[] = [];
    for await (const page of paginateListRoles({ client, pageSize: 1000 }, {})) roles.push(...(page.Roles ?? []));
    return roles;
  })();
  const [detailsResult, listedResult] = await Promise.allSettled([details, listed]);
  if (detailsResult.status === 'rejected') throw detailsResult.reason;
  if (listedResult.status === 'rejected') {
    return { raw: detailsResult.value, listRolesFailure: failureReason(listedResult.reason) };
  }
  return { raw: { ...detailsResult.value, listedRoles: listedResult.value } };
}

function markListedAttributesUnknown(resources: LiveResource[], reason: string): LiveResource[] {
  return resources.map((resource) => {
    if (resource.type !== 'aws_iam_role') return resource;
    const unknown = { ...resource.unknownAttributes };
    for (const attribute of LISTED_ROLE_ATTRIBUTES) unknown[attribute] = reason;
    return { ...resource, unknownAttributes: unknown };
  });
}

export const iamCollector: Collector = {
  family: 'iam',
  liveTypes: ['aws_iam_role', 'aws_iam_policy'],
  scope: 'account',
  collect: async (ctx) => {
    const { raw, listRolesFailure } = await collectIam(ctx);
    const resources = normalizeIam(raw);
    // Not compared is not the same as unchanged: the scan must say it is partial.
    return listRolesFailure === undefined ? resources : markListedAttributesUnknown(resources, listRolesFailure);
  },
};
