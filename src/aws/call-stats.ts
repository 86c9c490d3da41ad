// Counts AWS calls and throttles for progress and benchmarks. One middleware on every client sees
// each HTTP attempt (it sits inside the retry loop) and adds it to the counters that client was
// made with: the factory's totals, and for a collector's own view of the clients
// (`AwsClients.counting`) that collector's counter, so two families reading the same service and
// region at once, or two scans sharing one factory, never mix their figures.
import type { DeserializeHandler, DeserializeHandlerArguments, DeserializeMiddleware, HandlerExecutionContext } from '@smithy/types';
import type { AwsService } from './settings.js';

export interface CallCounter {
  calls: number;
  throttles: number;
  /** Called after each attempt is counted. */
  onChange?: () => void;
}

/** The command an SDK error came from, for reasons such as "AccessDenied: ec2:DescribeInstances". */
export interface CommandRef {
  service: AwsService;
  operation: string;
}

const commandOfErrors = new WeakMap<object, CommandRef>();

export function commandOfError(error: unknown): CommandRef | undefined {
  return typeof error === 'object' && error !== null ? commandOfErrors.get(error) : undefined;
}

// Error codes AWS services use for "slow down"; the same list the SDK's retry classifier uses.
const THROTTLING_NAMES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

export function isThrottlingError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } };
  return e.$metadata?.httpStatusCode === 429 || THROTTLING_NAMES.has(e.name ?? '') || e.$retryable?.throttling === true;
}

/** The middleware, with its stack options: every attempt counts into each of `counters`. */
export function callCountingMiddleware<Input extends object, Output extends object>(service: AwsService, counters: readonly CallCounter[]) {
  const middleware: DeserializeMiddleware<Input, Output> = (next: DeserializeHandler<Input, Output>, context: HandlerExecutionContext) => async (args: DeserializeHandlerArguments<Input>) => {
    for (const counter of counters) {
      counter.calls += 1;
      counter.onChange?.();
    }
    try {
      return await next(args);
    } catch (error) {
      if (typeof error === 'object' && error !== null) {
        commandOfErrors.set(error, { service, operation: context.commandName?.replace(/Command$/, '') ?? 'unknown' });
      }
      if (isThrottlingError(error)) {
        for (const counter of counters) {
          counter.throttles += 1;
          counter.onChange?.();
        }
      }
      throw error;
    }
  };
  return {
    middleware,
    // Deserialize is the innermost step, inside the retry middleware of finalizeRequest: each
    // attempt passes here, and errors arrive already parsed (name, status).
    options: { step: 'deserialize', priority: 'high', name: 'driftwatchCallCounter' } as const,
  };
}
