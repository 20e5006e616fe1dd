/**
 * Calling a carrier's connector: within the connector's time limit, with whatever goes wrong on
 * the way (unreachable, too slow, an answer that is not one, a connector's own bug) turned into
 * `unreachable`, so that a use-case can leave everything as it was and answer 503
 * CarrierUnavailable instead of failing with a 500. A refusal is an answer, not a failure.
 */
import type { Carrier } from '../domain/catalogue.js';
import { CarrierUnreachable, type CallOptions } from '../carriers/connector.js';
import type { AppContext } from './app-context.js';

export type CarrierCall<T> =
  | { kind: 'answered'; value: T }
  /** `mayHaveActed`: the request may have reached the carrier (a booking may exist although its answer was lost). */
  | { kind: 'unreachable'; message: string; mayHaveActed: boolean };

export async function callCarrier<T>(
  ctx: Pick<AppContext, 'logger'>,
  carrier: Carrier,
  timeoutMs: number,
  what: string,
  call: (options: CallOptions) => Promise<T>,
): Promise<CarrierCall<T>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    // One promise settled by whichever comes first, the answer or the deadline: a connector that
    // ignores its signal is still not waited for beyond its time limit.
    const value = await new Promise<T>((resolve, reject) => {
      timer = setTimeout(() => {
        const error = new CarrierUnreachable(carrier.reference, `carrier ${carrier.reference} did not answer ${what} within ${timeoutMs} ms`);
        controller.abort(error);
        reject(error);
      }, timeoutMs);
      call({ signal: controller.signal }).then(resolve, reject);
    });
    return { kind: 'answered', value };
  } catch (error) {
    if (error instanceof CarrierUnreachable) {
      ctx.logger.warn({ carrier: carrier.reference, err: error }, `carrier ${carrier.reference} unavailable for ${what}`);
      return { kind: 'unreachable', message: error.message, mayHaveActed: error.mayHaveActed };
    }
    ctx.logger.error({ carrier: carrier.reference, err: error }, `carrier ${carrier.reference}'s connector failed on ${what}`);
    return { kind: 'unreachable', message: `carrier ${carrier.reference} failed to answer ${what}`, mayHaveActed: true };
  } finally {
    clearTimeout(timer);
  }
}
