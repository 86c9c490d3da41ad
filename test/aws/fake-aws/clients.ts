// Real driftwatch clients for tests: static credentials (no default chain on the test machine)
// and millisecond backoff, so retry tests run fast while still going through the retry strategy.
import { createAwsClients, type AwsClients, type CreateAwsClientsOptions } from '../../../src/aws/clients.js';
import { DEFAULT_AWS_SETTINGS, type AwsSettings } from '../../../src/aws/settings.js';

export const TEST_CREDENTIALS = async () => ({ accessKeyId: 'AKIDDRIFTWATCHTEST', secretAccessKey: 'not-a-secret' });

export function testClients(overrides: Partial<AwsSettings> = {}, options: Partial<CreateAwsClientsOptions> = {}): AwsClients {
  return createAwsClients({
    settings: { ...DEFAULT_AWS_SETTINGS, ...overrides },
    credentials: TEST_CREDENTIALS,
    retry: { baseDelayMs: 2, throttlingBaseDelayMs: 2, maxDelayMs: 20 },
    ...options,
  });
}
