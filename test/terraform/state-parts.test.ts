// The pieces parseState is made of, each over the shapes real states contain.
import { describe, expect, it } from 'vitest';
import { unflattenAttributes } from '../../src/terraform/state-flatmap.js';
import { providerAlias } from '../../src/terraform/state-provider-alias.js';
import { readSensitivePaths } from '../../src/terraform/state-sensitive-paths.js';

describe('providerAlias', () => {
  it.each([
    ['provider["registry.terraform.io/hashicorp/aws"]', null],
    ['provider["registry.terraform.io/hashicorp/aws"].west', 'west'],
    ['module.net.provider["registry.terraform.io/hashicorp/aws"]', null],
    ['module.net.provider["registry.terraform.io/hashicorp/aws"].replica', 'replica'],
    ['module.a["x.y"].provider["registry.terraform.io/hashicorp/aws"].eu_central', 'eu_central'],
    ['provider["registry.terraform.io/-/aws"].legacy', 'legacy'],
    ['provider.aws', null],
    ['provider.aws.west', 'west'],
    ['module.net.provider.aws.east', 'east'],
    ['', null],
  ])('%s → %s', (provider, alias) => {
    expect(providerAlias(provider)).toBe(alias);
  });
});

describe('readSensitivePaths', () => {
  it.each<[string, unknown, (string | number)[][]]>([
    ['no paths', [], []],
    ['missing', undefined, []],
    ['an attribute', [[{ type: 'get_attr', value: 'password' }]], [['password']]],
    [
      'typed index steps (Terraform 1.11)',
      [
        [
          { type: 'get_attr', value: 'environment' },
          { type: 'index', value: { value: 0, type: 'number' } },
          { type: 'get_attr', value: 'variables' },
          { type: 'index', value: { value: 'DB_PASSWORD', type: 'string' } },
        ],
      ],
      [['environment', 0, 'variables', 'DB_PASSWORD']],
    ],
    [
      'bare index values',
      [
        [
          { type: 'get_attr', value: 'ingress' },
          { type: 'index', value: 2 },
        ],
      ],
      [['ingress', 2]],
    ],
    ['a number written as a string', [[{ type: 'get_attr', value: 'x' }, { type: 'index', value: { value: '3', type: 'number' } }]], [['x', 3]]],
    [
      'a step it cannot read cuts the path there, so the parent stays covered',
      [[{ type: 'get_attr', value: 'settings' }, { type: 'index', value: { value: [1], type: ['list', 'number'] } }, { type: 'get_attr', value: 'x' }]],
      [['settings']],
    ],
    ['a path with nothing readable is dropped', [[{ type: 'weird', value: 1 }], [{ type: 'get_attr', value: 'token' }]], [['token']]],
  ])('%s', (_name, raw, expected) => {
    expect(readSensitivePaths(raw)).toEqual(expected);
  });
});

describe('unflattenAttributes', () => {
  it.each<[string, Record<string, string>, Record<string, unknown>]>([
    ['scalars and booleans', { id: 'i-1', ebs_optimized: 'false', monitoring: 'true', count: '3' }, { id: 'i-1', ebs_optimized: false, monitoring: true, count: '3' }],
    ['a map', { 'tags.%': '2', 'tags.Name': 'web', 'tags.Env': 'prod' }, { tags: { Name: 'web', Env: 'prod' } }],
    ['map keys with dots', { 'tags.%': '1', 'tags.kubernetes.io/cluster/prod': 'owned' }, { tags: { 'kubernetes.io/cluster/prod': 'owned' } }],
    ['an empty map', { 'tags.%': '0' }, { tags: {} }],
    ['a list of scalars', { 'cidr_blocks.#': '2', 'cidr_blocks.0': '10.0.0.0/8', 'cidr_blocks.1': '192.168.0.0/16' }, { cidr_blocks: ['10.0.0.0/8', '192.168.0.0/16'] }],
    ['list indexes in numeric order', { 'l.#': '11', ...Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`l.${i}`, `v${i}`])) }, { l: Array.from({ length: 11 }, (_, i) => `v${i}`) }],
    ['an empty list', { 'ingress.#': '0' }, { ingress: [] }],
    [
      'a set of blocks keyed by hash',
      { 'ingress.#': '2', 'ingress.99.from_port': '443', 'ingress.1234567.from_port': '22', 'ingress.1234567.cidr_blocks.#': '1', 'ingress.1234567.cidr_blocks.0': '0.0.0.0/0', 'ingress.99.cidr_blocks.#': '0' },
      { ingress: [{ from_port: '443', cidr_blocks: [] }, { from_port: '22', cidr_blocks: ['0.0.0.0/0'] }] },
    ],
    ['a single nested block', { 'versioning.#': '1', 'versioning.0.enabled': 'true', 'versioning.0.mfa_delete': 'false' }, { versioning: [{ enabled: true, mfa_delete: false }] }],
    [
      'a map inside a list element',
      { 'rule.#': '1', 'rule.0.tags.%': '1', 'rule.0.tags.a.b': 'c', 'rule.0.id': 'r1' },
      { rule: [{ tags: { 'a.b': 'c' }, id: 'r1' }] },
    ],
  ])('%s', (_name, flat, expected) => {
    expect(unflattenAttributes(flat)).toEqual(expected);
  });
});
