/**
 * Who is signed in: the API key lives in sessionStorage (this tab only, gone when it closes), never
 * in a URL or a cookie; every page reaches the API through the session's client.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { ok, type Answer, type Api } from './api/client.ts';

const STORAGE = 'switchyard.apiKey';

export type CarrierService = Answer<'get', '/carrierservices'>['MpdCarrierServices'][number];

export interface Session {
  api: Api;
  /** The subscription's carrier services: for names, filters and allocation ([] until they come). */
  services: CarrierService[];
  /** Why they could not be read, when they could not. */
  servicesError: unknown;
  reloadServices(): void;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

export const storedKey = {
  get: (): string | null => sessionStorage.getItem(STORAGE),
  set: (key: string): void => sessionStorage.setItem(STORAGE, key),
  clear: (): void => sessionStorage.removeItem(STORAGE),
};

export async function loadServices(api: Api): Promise<CarrierService[]> {
  return (await ok(api.GET('/carrierservices'))).MpdCarrierServices;
}

/** A service's name as operators know it: "Carrier X Next Day" (its reference until the services are read). */
export function serviceName(services: CarrierService[], reference: string | null | undefined): string {
  if (!reference) return '';
  const service = services.find((s) => s.Reference.toLowerCase() === reference.toLowerCase());
  return service ? `${service.CarrierName} ${service.Name}` : reference;
}
