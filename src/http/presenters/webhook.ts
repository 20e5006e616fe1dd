/** Webhook endpoints and their deliveries as the API (and the command line) shows them (docs/api/webhooks.md). */
import type { DeliveryLogEntry, WebhookEndpoint } from '../../store/webhooks.repository.js';
import { typed } from '../xml-codec.js';

export const presentWebhook = (e: WebhookEndpoint) =>
  typed('Webhook', {
    Reference: e.reference,
    Url: e.url,
    EventTypes: e.eventTypes === '*' ? ['*'] : [...e.eventTypes],
    Description: e.description,
    IsEnabled: e.isEnabled,
    DisabledReason: e.disabledReason,
    CreatedAt: e.createdAt,
    UpdatedAt: e.updatedAt,
  });

const STATES: Record<string, string> = { pending: 'Pending', delivered: 'Delivered', failed: 'Failed' };

export const presentDelivery = (d: DeliveryLogEntry) =>
  typed('WebhookDelivery', {
    Id: d.id,
    EventId: `evt_${d.eventId}`,
    EventType: d.eventType,
    State: STATES[d.state],
    Attempts: d.attempts,
    NextAttemptAt: d.nextAttemptAt,
    LastStatusCode: d.lastStatus,
    LastError: d.lastError,
    CreatedAt: d.createdAt,
    DeliveredAt: d.deliveredAt,
    AttemptLog: d.log.map((a) => typed('WebhookAttempt', { At: a.at, StatusCode: a.status, DurationMs: a.durationMs, ResponseExcerpt: a.excerpt, Error: a.error })),
  });
