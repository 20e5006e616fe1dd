/**
 * Seeds many consignments straight through the data layer (ConsignmentsRepository.insertMany,
 * chunked multi-row INSERTs in one transaction), for tests that need thousands of them: 10,000
 * POST /consignments calls would take far longer than the test. Each consignment gets its own EC
 * reference and package references from the store's sequences, exactly as POST /consignments
 * would, and is stored Unallocated with its `Created` audit event.
 */
import type { ConsignmentData } from '../../src/domain/consignment.js';
import { formatReference } from '../../src/domain/references.js';
import type { AppContext } from '../../src/use-cases/app-context.js';

/** Inserts `count` copies of `template` (with fresh references) for a subscription; returns their references in order. */
export async function bulkInsertConsignments(ctx: AppContext, subscriptionId: number, template: ConsignmentData, count: number, at: string): Promise<string[]> {
  if (template.packages.some((p) => p.items.length > 0)) throw new Error('bulkInsertConsignments: templates with items are not supported');
  const perConsignment = template.packages.length;
  const consignmentNumbers = await ctx.sequences.next('EC', count);
  const packageNumbers = await ctx.sequences.next('EP', count * perConsignment);
  const consignments = consignmentNumbers.map((n, i) => ({
    reference: formatReference('EC', n),
    data: {
      ...template,
      packages: template.packages.map((p, k) => ({ ...p, reference: formatReference('EP', packageNumbers[i * perConsignment + k]) })),
    } satisfies ConsignmentData,
  }));
  await ctx.consignments.insertMany(subscriptionId, consignments, at);
  return consignments.map((c) => c.reference);
}
