// Counts AWS calls and throttles for progress and benchmarks. One middleware on every client sees
// each HTTP attempt (it sits inside the retry loop) and adds it to the counter of whoever started
// the call: a family's collector runs inside `countingCalls`, and AsyncLocalStorage carries that
// counter through the SDK's promises, so two families sharing the EC2 client of one region, or two
// scans sharing one factory, never mix their figures.
import { AsyncLocalStorage } from 'node:async_hooks';
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

const scope = new AsyncLocalStorage<CallCounter>();
const commandOfErrors = new WeakMap<object, CommandRef>();

/** Runs `fn` with every AWS attempt it makes counted into `counter`. */
export function countingCalls<T>(counter: CallCounter, fn: () => Promise<T>): Promise<T> {
  return scope.run(counter, fn);
}

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

/** The middleware, with its stack options; `totals` counts every attempt of the factory. */
export function callCountingMiddleware<Input extends object, Output extends object>(service: AwsService, totals: CallCounter) {
  const middleware: DeserializeMiddleware<Input, Output> = (next: DeserializeHandler<Input, Output>, context: HandlerExecutionContext) => async (args: DeserializeHandlerArguments<Input>) => {
    const counter = scope.getStore();
    countCall(totals);
    if (counter) countCall(counter);
    try {
      return await next(args);
    } catch (error) {
      const throttled = isThrottlingError(error);
      if (throttled) {
        totals.throttles += 1;
        if (counter) counter.throttles += 1;
      }
      if (typeof error === 'object' && error !== null) {
        commandOfErrors.set(error, { service, operation: context.commandName?.replace(/Command$/, '') ?? 'unknown' });
      }
      if (throttled) {
        totals.onChange?.();
        counter?.onChange?.();
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

function countCall(counter: CallCounter): void {
  counter.calls += 1;
  counter.onChange?.();
}
