// DescribeSecurityGroups + DescribeSecurityGroupRules → aws_security_group live objects.
// The groups' permissions are the complete rule list; DescribeSecurityGroupRules only adds rule
// ids and rule tags where an entry matches a rule exactly (it can list fewer entries than there
// are sources, and an emulator may drop fields).
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
    const rules = [...atomsFromPermissions(group.IpPermissions, 'ingress'), ...atomsFromPermissions(group.IpPermissionsEgress, 'egress')];
    for (const atom of rules) {
      const entry = ruleEntries.get(`${group.GroupId}|${ruleKey(atom)}`)?.shift();
      if (!entry) continue;
      atom.rule_id = entry.rule_id;
      atom.tags = entry.tags;
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
