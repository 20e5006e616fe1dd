/** Reading MetaData lists (of a consignment, a package or an item): typed values under a key. */
import type { MetaDataEntry } from '../../domain/consignment.js';
import type { MetaDataInput } from '../../contract/consignments.js';
import { text, type Problems } from './problems.js';

/** Each entry needs a key; its string value is checked for length, the others are kept as given. */
export function readMetaData(list: MetaDataInput[] | null | undefined, target: string, p: Problems): MetaDataEntry[] {
  return (list ?? []).map((m, i) => {
    if (!m.KeyValue.trim()) p.add(`${target}[${i}].KeyValue`, 'must not be empty');
    return {
      KeyValue: m.KeyValue,
      StringValue: text(m.StringValue, `${target}[${i}].StringValue`, p),
      IntValue: m.IntValue ?? null,
      DecimalValue: m.DecimalValue ?? null,
      DateTimeValue: m.DateTimeValue ?? null,
      BoolValue: m.BoolValue ?? null,
    };
  });
}
