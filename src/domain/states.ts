/** Consignment states as on the wire (SDK enum member names), with their SDK numeric values. */
export const CONSIGNMENT_STATES = {
  Unallocated: 0,
  Allocating: 1,
  AllocationFailed: 2,
  Allocated: 3,
  Manifesting: 4,
  Manifested: 5,
  ManifestFailed: 6,
  Dispatched: 7,
  ReadyToShip: 8,
  AtDropOffPoint: 9,
  Collected: 10,
  CollectionFailed: 11,
  InTransit: 12,
  Delayed: 13,
  OutForDelivery: 14,
  DeliveryFailed: 15,
  DeliveryFailedCardLeft: 16,
  Delivered: 17,
  PartiallyDelivered: 18,
  AtCollectionPoint: 19,
  ReturnToSender: 20,
  ActionRequired: 21,
  Missing: 22,
  Lost: 23,
  Damaged: 24,
  Cancelling: 25,
  Cancelled: 26,
  InTransitWaiting: 27,
  HeldByCarrier: 28,
  ExchangeFailed: 29,
  AtCustoms: 30,
  CarrierUnableToCollect: 31,
  DeliveredDamaged: 32,
} as const;

export type ConsignmentState = keyof typeof CONSIGNMENT_STATES;

export type ConsignmentAction =
  | 'allocate'
  | 'deallocate'
  | 'edit'
  | 'cancel'
  | 'printLabels'
  | 'customsDocuments'
  | 'readyToShip'
  | 'notReadyToShip'
  | 'manifest'
  | 'dispatch'
  | 'trackingEvents';

/** The shipped states (states.md §2, the SDK's [Shipped] set): those tracking events move a consignment between. */
const SHIPPED: readonly ConsignmentState[] = [
  'AtDropOffPoint', 'Collected', 'CollectionFailed', 'InTransit', 'Delayed', 'OutForDelivery', 'DeliveryFailed', 'DeliveryFailedCardLeft',
  'Delivered', 'PartiallyDelivered', 'AtCollectionPoint', 'ReturnToSender', 'ActionRequired', 'Missing', 'Lost', 'Damaged',
  'InTransitWaiting', 'HeldByCarrier', 'ExchangeFailed', 'AtCustoms', 'CarrierUnableToCollect', 'DeliveredDamaged',
];

/** Allocated onwards, not Cancelled (decisions.md §9): where a consignment has labels and documents. */
const BOOKED: readonly ConsignmentState[] = ['Allocated', 'ReadyToShip', 'Manifested', 'ManifestFailed', 'Dispatched', ...SHIPPED];

/** Which states allow which action (states.md §3.2 as decided in decisions.md §5, §9–§12). */
const ALLOWED: Record<ConsignmentAction, readonly ConsignmentState[]> = {
  allocate: ['Unallocated', 'AllocationFailed'],
  edit: ['Unallocated', 'AllocationFailed'],
  deallocate: ['Allocated', 'Manifested', 'ManifestFailed'],
  cancel: ['Unallocated', 'AllocationFailed', 'Allocated', 'ManifestFailed', 'ReadyToShip'],
  printLabels: BOOKED,
  customsDocuments: BOOKED,
  readyToShip: ['Allocated'],
  notReadyToShip: ['ReadyToShip'],
  manifest: ['Allocated', 'ReadyToShip', 'ManifestFailed'],
  dispatch: ['Manifested'],
  trackingEvents: ['Manifested', 'Dispatched', ...SHIPPED],
};

export function allowedStates(action: ConsignmentAction): readonly ConsignmentState[] {
  return ALLOWED[action];
}

export function canPerform(action: ConsignmentAction, state: ConsignmentState): boolean {
  return ALLOWED[action].includes(state);
}

/**
 * The SDK's derived state sets (states.md §2), as the search criterion `stateAttribute` names them.
 * Dispatched (ours, 7) has left its origin, so it counts as shipped; ReadyToShip (8) has not.
 */
export const STATE_SETS = {
  Shipped: [
    'Dispatched', 'AtDropOffPoint', 'Collected', 'CollectionFailed', 'InTransit', 'Delayed', 'OutForDelivery', 'DeliveryFailed',
    'DeliveryFailedCardLeft', 'Delivered', 'PartiallyDelivered', 'AtCollectionPoint', 'ReturnToSender', 'ActionRequired', 'Missing',
    'Lost', 'Damaged', 'InTransitWaiting', 'HeldByCarrier', 'ExchangeFailed', 'AtCustoms', 'CarrierUnableToCollect', 'DeliveredDamaged',
  ],
  UnShipped: ['Unallocated', 'Allocating', 'AllocationFailed', 'Allocated', 'Manifesting', 'Manifested', 'ManifestFailed', 'ReadyToShip', 'Cancelling', 'Cancelled'],
  IsUnAllocated: ['Unallocated', 'Allocating', 'AllocationFailed'],
} as const satisfies Record<string, readonly ConsignmentState[]>;

export type StateSetName = keyof typeof STATE_SETS;

/** The state named `name` in any case, or undefined. */
export function stateNamed(name: string): ConsignmentState | undefined {
  const wanted = name.trim().toLowerCase();
  return (Object.keys(CONSIGNMENT_STATES) as ConsignmentState[]).find((s) => s.toLowerCase() === wanted);
}
