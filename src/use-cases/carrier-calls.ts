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

/**
 * The carriers one piece of work (a request, a round of the background job) found unreachable:
 * they are not asked again within it, so that a batch of 10,000 for a carrier that is down answers
 * at once instead of waiting for each.
 */
export class CarrierOutages {
  private readonly down = new Map<string, string>();

  /** Why the carrier was found unreachable, or undefined while it has not been. */
  of(carrier: Pick<Carrier, 'reference'>): string | undefined {
    return this.down.size === 0 ? undefined : this.down.get(carrier.reference.toLowerCase());
  }

  record(carrier: Pick<Carrier, 'reference'>, message: string): void {
    this.down.set(carrier.reference.toLowerCase(), message);
  }
}

export async function callCarrier<T>(
  ctx: Pick<AppContext, 'logger'>,
  outages: CarrierOutages,
  carrier: Carrier,
  timeoutMs: number,
  what: string,
  call: (options: CallOptions) => Promise<T>,
): Promise<CarrierCall<T>> {
  const known = outages.of(carrier);
  if (known !== undefined) return { kind: 'unreachable', message: known, mayHaveActed: false };
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
    let message: string;
    let mayHaveActed = true;
    if (error instanceof CarrierUnreachable) {
      ctx.logger.warn({ carrier: carrier.reference, err: error }, `carrier ${carrier.reference} unavailable for ${what}`);
      message = error.message;
      mayHaveActed = error.mayHaveActed;
    } else {
      ctx.logger.error({ carrier: carrier.reference, err: error }, `carrier ${carrier.reference}'s connector failed on ${what}`);
      message = `carrier ${carrier.reference} failed to answer ${what}`;
    }
    outages.record(carrier, message);
    return { kind: 'unreachable', message, mayHaveActed };
  } finally {
    clearTimeout(timer);
  }
}
