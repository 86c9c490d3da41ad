// DescribeSecurityGroups + DescribeSecurityGroupRules → aws_security_group live objects.
// The groups' permissions are the complete rule list; DescribeSecurityGroupRules only adds rule
// ids and rule tags where an entry matches a rule exactly (it can list fewer entries than there
// are sources, and an emulator may drop fields). An API that lists several sources of one
// permission under one id gives an id that is no single source's: revoking or importing by it
// would take the other sources along, so no source of that permission keeps it.
import { launchedBy, tagsFromList } from '../../drift/tags.js';
import type { LiveResource } from '../live-types.js';
import type { RawSecurityGroups } from '../raw-types.js';
import { atomFromSecurityGroupRule, atomsFromPermissions, ruleKey, type RuleAtom } from './rules.js';

export function normalizeSecurityGroups(raw: RawSecurityGroups): LiveResource[] {
  const ruleEntries = new Map<string, RuleAtom[]>();
  for (const rule of raw.rules) {
    if (!rule.GroupId) continue;
    const atom = atomFromSecurityGroupRule(rule);
    const key = `${rule.GroupId}|${ruleKey(atom)}`;
    const list = ruleEntries.get(key);
    if (list) list.push(atom);
    else ruleEntries.set(key, [atom]);
  }
  const out: LiveResource[] = [];
  for (const group of raw.groups) {
    if (!group.GroupId) continue;
    const rules: RuleAtom[] = [];
    const permissions = [
      ...(group.IpPermissions ?? []).map((p) => atomsFromPermissions([p], 'ingress')),
      ...(group.IpPermissionsEgress ?? []).map((p) => atomsFromPermissions([p], 'egress')),
    ];
    for (const sources of permissions) {
      let listed = 0;
      for (const atom of sources) {
        const entry = ruleEntries.get(`${group.GroupId}|${ruleKey(atom)}`)?.shift();
        if (!entry) continue;
        listed += 1;
        atom.rule_id = entry.rule_id;
        atom.tags = entry.tags;
      }
      if (listed > 0 && listed < sources.length) for (const atom of sources) atom.rule_id = null;
      rules.push(...sources);
    }
    out.push({
      type: 'aws_security_group',
      id: group.GroupId,
      region: raw.region,
      attributes: {
        name: group.GroupName ?? null,
        description: group.Description ?? null,
        vpc_id: group.VpcId ?? null,
        owner_id: group.OwnerId ?? null,
        launched_by: launchedBy(group.Tags),
        tags: tagsFromList(group.Tags),
        rules,
      },
    });
  }
  return out;
}
