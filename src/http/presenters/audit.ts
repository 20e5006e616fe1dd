import type { Consignment } from '../../domain/consignment.js';
import type { ConsignmentEventRow } from '../../store/consignments.repository.js';
import { typed } from '../xml-codec.js';

/** The audit trail as the SDK's ConsignmentAuditMessage list (our field set). */
export function presentAudit(consignment: Consignment, events: ConsignmentEventRow[]): object[] {
  return events.map((e) =>
    typed('ConsignmentAuditMessage', {
      Timestamp: e.at,
      ConsignmentReference: consignment.reference,
      Action: e.action,
      FromState: e.from_state,
      ToState: e.to_state,
      Message: e.message,
    }),
  );
}
