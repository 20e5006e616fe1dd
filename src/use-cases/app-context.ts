import type { Logger } from 'pino';
import type { AllocationPolicy } from '../domain/allocation-policy.js';
import type { ServiceGroup } from '../domain/service-group.js';
import type { CarrierRegistry } from '../carriers/registry.js';
import type { DocumentRenderer } from '../documents/renderer.js';
import type { SchedulePlanner } from '../domain/allocation.js';
import type { CatalogueIndex } from '../domain/catalogue.js';
import type { Clock } from '../domain/clock.js';
import type { ConsignmentSearchRepository } from '../store/consignment-search.repository.js';
import type { ConsignmentsRepository } from '../store/consignments.repository.js';
import type { ManifestsRepository } from '../store/manifests.repository.js';
import type { TrackingRepository } from '../store/tracking.repository.js';
import type { AllocationRulesRepository } from '../store/allocation-rules.repository.js';
import type { CarrierCancellationsRepository } from '../store/carrier-cancellations.repository.js';
import type { Database } from '../store/database.js';
import type { QuotesRepository } from '../store/quotes.repository.js';
import type { IdempotencyRepository } from '../store/idempotency.repository.js';
import type { EventsRepository } from '../store/events.repository.js';
import type { WebhooksRepository } from '../store/webhooks.repository.js';
import type { WebhookSender } from '../webhooks/http-sender.js';
import type { ForegroundLoad } from '../workers/foreground.js';
import type { Sequences } from '../store/sequences.js';
import type { ServiceGroupsRepository } from '../store/service-groups.repository.js';
import type { ServiceTagsRepository } from '../store/service-tags.repository.js';
import type { ShippingLocationsRepository } from '../store/shipping-locations.repository.js';
import type { SubscriptionsRepository } from '../store/subscriptions.repository.js';
import type { PackageSizesRepository } from '../store/package-sizes.repository.js';
import type { AllocationPolicies } from './allocation-policies.js';

/** Everything a use-case may need, built once at start-up (see src/app.ts). */
export interface AppContext {
  database: Database;
  catalogue: CatalogueIndex;
  /** Collection and delivery dates, cached while they hold. */
  schedules: SchedulePlanner;
  clock: Clock;
  sequences: Sequences;
  /** Each catalogue carrier's connector. */
  carriers: CarrierRegistry;
  /** Where the simulated carrier renders documents (render threads, or this thread); closed with the application. */
  renderer: DocumentRenderer;
  /** Carrier bookings still to be cancelled, worked off with leases. */
  carrierCancellations: CarrierCancellationsRepository;
  /** This process, as the holder of leases on background work (unique per process and start). */
  instanceId: string;
  consignments: ConsignmentsRepository;
  subscriptions: SubscriptionsRepository;
  locations: ShippingLocationsRepository;
  logger: Logger;
  quotes: QuotesRepository;
  packageSizes: PackageSizesRepository;
  allocationRules: AllocationRulesRepository;
  serviceTags: ServiceTagsRepository;
  /** Each subscription's enabled rules and service tags, cached while its settings version holds; allocation reads it. */
  policies: AllocationPolicies;
  serviceGroups: ServiceGroupsRepository;
  /** Searches and counts over the consignments' search columns. */
  consignmentSearch: ConsignmentSearchRepository;
  /** Manifests, their members, and the consignment changes written with them. */
  manifests: ManifestsRepository;
  /** Tracking events, the legs the tracker asks about, and packages by tracking number. */
  tracking: TrackingRepository;
  /** The Idempotency-Keys of POST requests and their answers (decisions.md §14). */
  idempotency: IdempotencyRepository;
  /** The events of the feed and of webhooks, and their order. */
  events: EventsRepository;
  /** Webhook endpoints, their deliveries and attempts. */
  webhooks: WebhooksRepository;
  /** Posts webhook deliveries (one connection pool); closed with the application. */
  webhookSender: WebhookSender;
  /** Whether webhooks may target loopback and private addresses. */
  webhookAllowPrivate: boolean;
  /** The API requests this process is serving now, which background work yields to. */
  foreground: ForegroundLoad;
}

/** The caller, as established from its API key: its subscription and the services it has enabled (lower-cased references). */
export interface Caller {
  subscriptionId: number;
  subscriptionReference: string;
  enabledServices: ReadonlySet<string>;
  /**
   * The subscription's settings version when its key was checked (subscriptions.settings_version):
   * what the allocation policy cache compares, so that a change made in any process is obeyed at once.
   * Absent for callers made without a key lookup (the policy cache then keeps entries for a few seconds).
   */
  settingsVersion?: number;
}
