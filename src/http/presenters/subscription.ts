/** A subscription as the admin API (and the command line) shows it: its key only when just issued. */
import type { IssuedSubscription, SubscriptionSummary } from '../../use-cases/subscriptions.js';
import { typed } from '../xml-codec.js';

export function presentSubscription(s: SubscriptionSummary | IssuedSubscription): object {
  return typed('Subscription', { Reference: s.reference, Name: s.name, ...('apiKey' in s ? { ApiKey: s.apiKey } : {}) });
}
