/** Subscriptions (tenants) and their API keys. Keys are random, shown once, and stored only as SHA-256 hashes. */
import { utcTimestamp } from '../domain/dates.js';
import { hash, randomBytes } from 'node:crypto';
import { MAX_NAME } from '../domain/limits.js';
import { AppError } from './errors.js';
import type { SubscriptionRow } from '../store/subscriptions.repository.js';
import type { AppContext, Caller } from './app-context.js';

export function hashApiKey(key: string): string {
  // The one-shot form: every request hashes its key, and a Hash object costs several times more.
  return hash('sha256', key, 'hex');
}

export function newApiKey(): string {
  return randomBytes(24).toString('base64url');
}

export interface SubscriptionSummary {
  reference: string;
  name: string;
}

/** A subscription with its API key, which is shown this once. */
export interface IssuedSubscription extends SubscriptionSummary {
  apiKey: string;
}

function newReference(): string {
  return `SUB-${randomBytes(6).toString('hex').toUpperCase()}`;
}

/** Creates a subscription with every catalogue service enabled. */
export async function createSubscription(ctx: AppContext, name: string, apiKey = newApiKey()): Promise<IssuedSubscription> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > MAX_NAME) {
    const message = `Name must be 1 to ${MAX_NAME} characters`;
    throw new AppError('ValidationFailed', message, [{ Code: 'Invalid', Target: 'Name', Message: message }]);
  }
  const created = await ctx.subscriptions.create(
    { reference: newReference(), name: trimmed, apiKeyHash: hashApiKey(apiKey), createdAt: utcTimestamp(ctx.clock.now()) },
    ctx.catalogue.catalogue.services.map((s) => s.reference.toLowerCase()),
  );
  return { reference: created.reference, name: created.name, apiKey };
}

/** Every subscription, oldest first (their keys are never shown again). */
export async function listSubscriptions(ctx: AppContext): Promise<SubscriptionSummary[]> {
  return (await ctx.subscriptions.list()).map((s) => ({ reference: s.reference, name: s.name }));
}

async function requireSubscription(ctx: AppContext, reference: string): Promise<SubscriptionRow> {
  const row = await ctx.subscriptions.findByReference(reference.trim().toUpperCase());
  if (!row) throw new AppError('SubscriptionNotFound', `Subscription ${reference} not found`);
  return row;
}

/** The subscription as a caller, for the command line's operations on its behalf (webhooks). */
export async function callerOfSubscription(ctx: AppContext, reference: string): Promise<Caller> {
  const row = await requireSubscription(ctx, reference);
  return { subscriptionId: row.id, subscriptionReference: row.reference, enabledServices: new Set() };
}

export async function rotateApiKey(ctx: AppContext, reference: string): Promise<IssuedSubscription> {
  const row = await requireSubscription(ctx, reference);
  const apiKey = newApiKey();
  await ctx.subscriptions.setKeyHash(row.id, hashApiKey(apiKey));
  return { reference: row.reference, name: row.name, apiKey };
}

export async function setServiceEnabled(ctx: AppContext, reference: string, serviceReference: string, enabled: boolean): Promise<void> {
  const row = await requireSubscription(ctx, reference);
  const service = ctx.catalogue.service(serviceReference);
  if (!service) throw new AppError('CarrierServiceNotFound', `Carrier service ${serviceReference} not found`);
  const key = service.reference.toLowerCase();
  if (enabled) await ctx.subscriptions.enableService(row.id, key);
  else await ctx.subscriptions.disableService(row.id, key);
}

/**
 * Resolves an API key to its subscription and enabled services. The key itself is looked up on
 * every request (one indexed read, which also returns the subscription's settings version), so a
 * rotated key stops working at once in every process on the database; the enabled services are
 * cached per subscription and read again when the version moved on (every change of them bumps it,
 * src/store/subscriptions.repository.ts). The allocation policy cache compares the same version.
 */
export class ApiKeyAuthenticator {
  private readonly cache = new Map<number, Caller & { settingsVersion: number }>();

  constructor(private readonly ctx: AppContext) {}

  async authenticate(key: string | undefined): Promise<Caller> {
    if (!key) throw new AppError('Unauthorized', 'An API key is required in the ocp-apim-subscription-key header');
    const row = await this.ctx.subscriptions.findByKeyHash(hashApiKey(key));
    if (!row) throw new AppError('Unauthorized', 'The API key is not valid');
    const version = Number(row.settingsVersion);
    const cached = this.cache.get(row.id);
    // A newer entry than this request's reading is right too (it was read after this one's version).
    if (cached && cached.settingsVersion >= version && cached.subscriptionReference === row.reference) return cached;
    const caller = { subscriptionId: row.id, subscriptionReference: row.reference, enabledServices: await this.ctx.subscriptions.enabledServiceKeys(row.id), settingsVersion: version };
    const latest = this.cache.get(row.id);
    if (!latest || latest.settingsVersion <= version) {
      if (!latest && this.cache.size >= 10_000) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(row.id, caller);
    }
    return caller;
  }

  /** Drops every cached entry (after a change made through this process; the version check would catch it anyway). */
  forget(): void {
    this.cache.clear();
  }
}
