// Matching declared rule atoms to live ones: by identity first (a live source identical to a
// declared rule is that rule, whatever id an API lists it under), then by rule id (a rule edited
// in place keeps its id), then by direction/protocol/ports (a source swapped in the console shows
// as one changed rule, not a removal plus an addition). Each live atom pairs at most once, so no
// live source is reported both as missing from one resource and as added to another.
import type { DeclaredResource } from '../../terraform/types.js';
import { portKey, ruleKey, type RuleAtom } from './rules.js';

export type OwnerKind = 'group' | 'rule' | 'vpc-rule';

export interface DeclaredAtom {
  atom: RuleAtom;
  owner: DeclaredResource;
  ownerKind: OwnerKind;
}

export interface RulePairing {
  /** Each declared atom with its live counterpart, or null when it is gone. */
  pairs: { declared: DeclaredAtom; live: RuleAtom | null }[];
  /** Live atoms no declared atom claims. */
  extra: RuleAtom[];
}

export function pairRules(declared: DeclaredAtom[], live: RuleAtom[]): RulePairing {
  const used = new Set<RuleAtom>();
  const matched = new Map<DeclaredAtom, RuleAtom>();

  const byKey = groupBy(live, ruleKey);
  for (const d of declared) {
    const candidate = byKey.get(ruleKey(d.atom))?.find((atom) => !used.has(atom));
    if (candidate) claim(d, candidate);
  }
  if (matched.size < declared.length && declared.some((d) => d.ownerKind !== 'group' && d.atom.rule_id)) {
    const byId = new Map<string, RuleAtom>();
    for (const atom of live) if (atom.rule_id) byId.set(atom.rule_id, atom);
    for (const d of declared) {
      if (matched.has(d) || d.ownerKind === 'group' || !d.atom.rule_id) continue;
      const candidate = byId.get(d.atom.rule_id);
      if (candidate && !used.has(candidate)) claim(d, candidate);
    }
  }
  // Only when something is left on both sides: the usual group matches fully above.
  if (matched.size < declared.length && used.size < live.length) {
    const byPorts = groupBy(live, portKey);
    for (const d of declared) {
      if (matched.has(d)) continue;
      const candidate = byPorts.get(portKey(d.atom))?.find((atom) => !used.has(atom));
      if (candidate) claim(d, candidate);
    }
  }
  return {
    pairs: declared.map((d) => ({ declared: d, live: matched.get(d) ?? null })),
    extra: live.filter((atom) => !used.has(atom)),
  };

  function claim(d: DeclaredAtom, atom: RuleAtom): void {
    matched.set(d, atom);
    used.add(atom);
  }
}

function groupBy(atoms: RuleAtom[], key: (atom: RuleAtom) => string): Map<string, RuleAtom[]> {
  const map = new Map<string, RuleAtom[]>();
  for (const atom of atoms) {
    const k = key(atom);
    const list = map.get(k);
    if (list) list.push(atom);
    else map.set(k, [atom]);
  }
  return map;
}
