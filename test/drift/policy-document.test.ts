import { describe, expect, it } from 'vitest';
import { canonicalPolicy, samePolicy } from '../../src/drift/policy-document.js';

const base = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'] },
    { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
  ],
};
const text = JSON.stringify(base);

describe('policy documents compared semantically', () => {
  it.each([
    ['URL-encoded, as IAM returns it', encodeURIComponent(text)],
    ['pretty-printed, as a heredoc writes it', JSON.stringify(base, null, 2)],
    ['keys in another order', JSON.stringify({ Statement: base.Statement.map((s) => Object.fromEntries(Object.entries(s).reverse())), Version: '2012-10-17' })],
    ['statements in another order', JSON.stringify({ ...base, Statement: [...base.Statement].reverse() })],
    ['a one-element array for a string', JSON.stringify({ ...base, Statement: [base.Statement[0], { ...base.Statement[1], Action: ['s3:*'], Resource: ['arn:aws:s3:::b/*'] }] })],
    ['array members in another order', JSON.stringify({ ...base, Statement: [{ ...base.Statement[0], Action: ['s3:ListBucket', 's3:GetObject'] }, base.Statement[1]] })],
    ['action names in another case', JSON.stringify({ ...base, Statement: [{ ...base.Statement[0], Action: ['S3:GetObject', 's3:listbucket'] }, base.Statement[1]] })],
    ['{"AWS": "*"} for "*"', JSON.stringify({ ...base, Statement: [base.Statement[0], { ...base.Statement[1], Principal: { AWS: '*' } }] })],
    ['a boolean condition value for its string', JSON.stringify({ ...base, Statement: [base.Statement[0], { ...base.Statement[1], Condition: { Bool: { 'aws:SecureTransport': false } } }] })],
    ['a single statement object for a one-element list', JSON.stringify({ Version: '2012-10-17', Statement: base.Statement[0] }) + '|single'],
  ])('equal: %s', (_name, other) => {
    if (other.endsWith('|single')) {
      expect(samePolicy(other.slice(0, -7), JSON.stringify({ Version: '2012-10-17', Statement: [base.Statement[0]] }))).toBe(true);
      return;
    }
    expect(samePolicy(text, other)).toBe(true);
  });

  it.each([
    ['another action', JSON.stringify({ ...base, Statement: [{ ...base.Statement[0], Action: ['s3:GetObject'] }, base.Statement[1]] })],
    ['Allow for Deny', JSON.stringify({ ...base, Statement: [base.Statement[0], { ...base.Statement[1], Effect: 'Allow' }] })],
    ['a condition removed', JSON.stringify({ ...base, Statement: [base.Statement[0], { ...base.Statement[1], Condition: undefined }] })],
    ['resource case matters', JSON.stringify({ ...base, Statement: [{ ...base.Statement[0], Resource: ['arn:aws:s3:::B', 'arn:aws:s3:::b/*'] }, base.Statement[1]] })],
  ])('different: %s', (_name, other) => {
    expect(samePolicy(text, other)).toBe(false);
  });

  it('an account id principal is its root ARN', () => {
    const a = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 'sts:AssumeRole' }] });
    const b = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::123456789012:root'] }, Action: 'sts:AssumeRole' }] });
    expect(samePolicy(a, b)).toBe(true);
  });

  it.each([[null], [''], [undefined]])('no policy (%s) is null and equals no policy', (empty) => {
    expect(canonicalPolicy(empty)).toBeNull();
    expect(samePolicy(empty, null)).toBe(true);
    expect(samePolicy(empty, text)).toBe(false);
  });

  it('an unparsable document only equals the same text', () => {
    expect(samePolicy('{not json', '{not json')).toBe(true);
    expect(samePolicy('{not json', '{not json ')).toBe(true);
    expect(samePolicy('{not json', text)).toBe(false);
  });
});
