/** The bodies of /webhooks (decisions.md §13, docs/api/webhooks.md). */
import { Type, type Static } from '@sinclair/typebox';
import { Opt } from './fields.js';

/** POST /webhooks and PUT /webhooks/{webhook}. */
export const WebhookRequest = Type.Object({
  /** Where deliveries are posted: http or https (a loopback or private address only where SWITCHYARD_WEBHOOK_ALLOW_PRIVATE allows). */
  Url: Type.String(),
  /** The event types it takes (docs/api/events.md), or ["*"] for every one, those added later included. */
  EventTypes: Type.Array(Type.String()),
  Description: Opt(Type.String()),
  /** True when absent. */
  IsEnabled: Opt(Type.Boolean()),
});
export type WebhookRequest = Static<typeof WebhookRequest>;
