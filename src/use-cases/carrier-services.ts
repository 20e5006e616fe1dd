/** The carrier services a subscription may use: catalogue entries it has enabled. */
import type { CarrierService } from '../domain/catalogue.js';
import { AppError } from './errors.js';
import type { AppContext, Caller } from './app-context.js';

export function enabledServices(ctx: AppContext, caller: Caller): CarrierService[] {
  return ctx.catalogue.catalogue.services.filter((s) => caller.enabledServices.has(s.reference.toLowerCase()));
}

/** The named service if it exists and is enabled for the caller; otherwise 404, as if absent. */
export function requireEnabledService(ctx: AppContext, caller: Caller, reference: string): CarrierService {
  const service = ctx.catalogue.service(reference);
  if (!service || !caller.enabledServices.has(service.reference.toLowerCase())) {
    throw new AppError('CarrierServiceNotFound', `Carrier service ${reference} not found`, [
      { Code: 'NotFound', Target: 'MpdCarrierServiceReference', Message: `No carrier service ${reference} is enabled for this subscription` },
    ]);
  }
  return service;
}

/** Looks up a service the caller has enabled by any spelling of its reference: its catalogue spelling, or undefined. */
export function enabledServiceSpelling(ctx: AppContext, caller: Caller): (reference: string) => string | undefined {
  return (reference) => {
    const service = ctx.catalogue.service(reference);
    return service && caller.enabledServices.has(service.reference.toLowerCase()) ? service.reference : undefined;
  };
}
