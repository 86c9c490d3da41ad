import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DriftwatchError } from '../../src/errors.js';
import { formatAddress, formatInstanceKey, parseAddress, type ResourceAddress } from '../../src/terraform/address.js';

describe('parseAddress', () => {
  it.each<[string, ResourceAddress]>([
    ['aws_instance.web', { modules: [], mode: 'managed', type: 'aws_instance', name: 'web', index: null }],
    ['aws_instance.web[1]', { modules: [], mode: 'managed', type: 'aws_instance', name: 'web', index: 1 }],
    [
      'data.aws_iam_policy_document.ec2_assume',
      { modules: [], mode: 'data', type: 'aws_iam_policy_document', name: 'ec2_assume', index: null },
    ],
    [
      'module.app["courier"].aws_instance.this[1]',
      { modules: [{ name: 'app', key: 'courier' }], mode: 'managed', type: 'aws_instance', name: 'this', index: 1 },
    ],
    [
      'aws_s3_bucket_policy.shared["granary-staging-exports"]',
      { modules: [], mode: 'managed', type: 'aws_s3_bucket_policy', name: 'shared', index: 'granary-staging-exports' },
    ],
    [
      'module.a["x"].module.b[0].aws_instance.web[1]',
      {
        modules: [
          { name: 'a', key: 'x' },
          { name: 'b', key: 0 },
        ],
        mode: 'managed',
        type: 'aws_instance',
        name: 'web',
        index: 1,
      },
    ],
    [
      'module.network["eu.west-1"].data.aws_availability_zones.available',
      { modules: [{ name: 'network', key: 'eu.west-1' }], mode: 'data', type: 'aws_availability_zones', name: 'available', index: null },
    ],
    [
      'module.legacy.aws_lambda_function.worker',
      { modules: [{ name: 'legacy', key: null }], mode: 'managed', type: 'aws_lambda_function', name: 'worker', index: null },
    ],
    [
      'aws_ssm_parameter.flags["a.b[0].c"]',
      { modules: [], mode: 'managed', type: 'aws_ssm_parameter', name: 'flags', index: 'a.b[0].c' },
    ],
    [
      'aws_ssm_parameter.flags["feature \\"beta\\""]',
      { modules: [], mode: 'managed', type: 'aws_ssm_parameter', name: 'flags', index: 'feature "beta"' },
    ],
    [
      'aws_ssm_parameter.flags["C:\\\\temp\\\\x"]',
      { modules: [], mode: 'managed', type: 'aws_ssm_parameter', name: 'flags', index: 'C:\\temp\\x' },
    ],
    [
      'aws_ssm_parameter.flags["tpl $${x} %%{y}"]',
      { modules: [], mode: 'managed', type: 'aws_ssm_parameter', name: 'flags', index: 'tpl ${x} %{y}' },
    ],
    [
      'aws_ssm_parameter.flags["line\\nnext\\ttab \\u00a0nbsp"]',
      { modules: [], mode: 'managed', type: 'aws_ssm_parameter', name: 'flags', index: 'line\nnext\ttab \u00a0nbsp' },
    ],
    [
      'aws_ssm_parameter.flags[""]',
      { modules: [], mode: 'managed', type: 'aws_ssm_parameter', name: 'flags', index: '' },
    ],
    [
      'aws_route53_record.www["café.example"]',
      { modules: [], mode: 'managed', type: 'aws_route53_record', name: 'www', index: 'café.example' },
    ],
  ])('%s', (address, expected) => {
    expect(parseAddress(address)).toEqual(expected);
    expect(formatAddress(expected)).toBe(address);
  });

  it.each([
    ['', 'expected a name'],
    ['aws_instance', 'expected `.`'],
    ['aws_instance.web.extra', 'unexpected text after the resource name'],
    ['aws_instance.web[', 'expected a number or a quoted key'],
    ['aws_instance.web[*]', 'expected a number or a quoted key'],
    ['aws_instance.web["x"', 'expected `]`'],
    ['aws_instance.web["x]', 'unterminated quoted key'],
    ['aws_instance.web["\\q"]', 'unknown escape'],
    ['module.app.', 'expected a name'],
    ['module["x"].aws_instance.web', 'expected `.`'],
    ['data.aws_instance', 'expected `.`'],
    ['aws_instance.web[-1]', 'expected a number or a quoted key'],
    [' aws_instance.web', 'expected a name'],
  ])('rejects %j (%s)', (address, reason) => {
    let caught: unknown;
    try {
      parseAddress(address);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DriftwatchError);
    expect((caught as DriftwatchError).code).toBe('usage');
    expect((caught as DriftwatchError).message).toContain(reason);
    expect((caught as DriftwatchError).message).toContain('Write it as Terraform prints it');
  });
});

describe('formatInstanceKey', () => {
  it.each([
    [null, ''],
    [0, '[0]'],
    [12, '[12]'],
    ['plain', '["plain"]'],
    ['say "hi"', '["say \\"hi\\""]'],
    ['back\\slash', '["back\\\\slash"]'],
    ['${interp}', '["$${interp}"]'],
    ['%{directive}', '["%%{directive}"]'],
    ['cost $5 and 100%', '["cost $5 and 100%"]'],
    ['cr\rlf\n', '["cr\\rlf\\n"]'],
    ['bell\u0007', '["bell\\u0007"]'],
    ['emoji 🚀', '["emoji 🚀"]'],
    ['zero\u200bwidth', '["zero\\u200bwidth"]'],
  ])('%j → %s', (key, expected) => {
    expect(formatInstanceKey(key)).toBe(expected);
  });
});

describe('formatAddress and parseAddress round-trip', () => {
  const name = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,12}$/);
  const key = fc.oneof(fc.constant(null), fc.nat({ max: 1000 }), fc.string({ unit: 'binary', maxLength: 16 }));
  const address = fc.record({
    modules: fc.array(fc.record({ name, key }), { maxLength: 3 }),
    mode: fc.constantFrom<'managed' | 'data'>('managed', 'data'),
    type: name.filter((value) => value !== 'module' && value !== 'data'),
    name,
    index: key,
  });

  it('parses back what it formats, for any keys', () => {
    fc.assert(
      fc.property(address, (parts) => {
        expect(parseAddress(formatAddress(parts))).toEqual(parts);
      }),
    );
  });
});
