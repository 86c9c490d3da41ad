import { describe, expect, it } from 'vitest';
import { DriftwatchError } from '../../src/errors.js';
import { awsSettingsFromEnv, DEFAULT_AWS_SETTINGS } from '../../src/aws/settings.js';

describe('awsSettingsFromEnv', () => {
  it('uses the defaults when nothing is set', () => {
    expect(awsSettingsFromEnv({})).toEqual({ endpoints: {}, maxAttempts: 5, callTimeoutMs: 30_000, assumeRoleAllowlist: null });
    expect(awsSettingsFromEnv({})).toEqual(DEFAULT_AWS_SETTINGS);
  });

  it('applies AWS_ENDPOINT_URL to every service, and a service-specific variable wins', () => {
    const settings = awsSettingsFromEnv({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566/',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000',
      AWS_ENDPOINT_URL_CLOUDTRAIL: 'https://cloudtrail.internal.example',
    });
    expect(settings.endpoints).toEqual({
      ec2: 'http://127.0.0.1:4566',
      s3: 'http://127.0.0.1:9000',
      rds: 'http://127.0.0.1:4566',
      iam: 'http://127.0.0.1:4566',
      sts: 'http://127.0.0.1:4566',
      cloudtrail: 'https://cloudtrail.internal.example',
    });
  });

  it('sets only the service that has its own variable', () => {
    expect(awsSettingsFromEnv({ AWS_ENDPOINT_URL_STS: 'https://sts.example' }).endpoints).toEqual({ sts: 'https://sts.example' });
  });

  it('reads the attempts, the timeout and the allowlist', () => {
    const settings = awsSettingsFromEnv({
      DRIFTWATCH_AWS_MAX_ATTEMPTS: '8',
      DRIFTWATCH_AWS_CALL_TIMEOUT_MS: '1500',
      DRIFTWATCH_ASSUME_ROLE_ALLOWLIST: ' arn:aws:iam::*:role/driftwatch-reader , arn:aws:iam::123456789012:role/ops/drift-* ',
    });
    expect(settings.maxAttempts).toBe(8);
    expect(settings.callTimeoutMs).toBe(1500);
    expect(settings.assumeRoleAllowlist).toEqual(['arn:aws:iam::*:role/driftwatch-reader', 'arn:aws:iam::123456789012:role/ops/drift-*']);
  });

  it('reads an empty allowlist as "no role may be assumed", not as "no restriction"', () => {
    expect(awsSettingsFromEnv({ DRIFTWATCH_ASSUME_ROLE_ALLOWLIST: '' }).assumeRoleAllowlist).toEqual([]);
  });

  it.each([
    ['DRIFTWATCH_AWS_MAX_ATTEMPTS', 'five', /DRIFTWATCH_AWS_MAX_ATTEMPTS must be a whole number from 1 to 20/],
    ['DRIFTWATCH_AWS_MAX_ATTEMPTS', '0', /DRIFTWATCH_AWS_MAX_ATTEMPTS must be a whole number from 1 to 20/],
    ['DRIFTWATCH_AWS_MAX_ATTEMPTS', '2.5', /DRIFTWATCH_AWS_MAX_ATTEMPTS/],
    ['DRIFTWATCH_AWS_CALL_TIMEOUT_MS', '-1', /DRIFTWATCH_AWS_CALL_TIMEOUT_MS must be a whole number from 100 to 600000/],
    ['DRIFTWATCH_AWS_CALL_TIMEOUT_MS', '30s', /DRIFTWATCH_AWS_CALL_TIMEOUT_MS/],
    ['AWS_ENDPOINT_URL', 'localhost:4566', /AWS_ENDPOINT_URL must start with http:\/\/ or https:\/\//],
    ['AWS_ENDPOINT_URL_EC2', 'not a url', /AWS_ENDPOINT_URL_EC2 is not a URL/],
    ['DRIFTWATCH_ASSUME_ROLE_ALLOWLIST', '*', /DRIFTWATCH_ASSUME_ROLE_ALLOWLIST entry "\*" is not a role ARN pattern/],
    ['DRIFTWATCH_ASSUME_ROLE_ALLOWLIST', 'arn:aws:iam::*:user/bob', /is not a role ARN pattern/],
  ])('rejects %s=%s with a config error that says what to write', (name, value, message) => {
    let caught: unknown;
    try {
      awsSettingsFromEnv({ [name]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DriftwatchError);
    expect((caught as DriftwatchError).code).toBe('config');
    expect((caught as DriftwatchError).message).toMatch(message);
  });
});
