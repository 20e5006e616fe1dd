/** Reading a package's items: what they are, where they come from, their measures, value and content classes. */
import { CONTENT_CLASSES, type ContentClass } from '../../domain/catalogue.js';
import type { ItemData } from '../../domain/consignment.js';
import { isCountryCode } from '../../domain/countries.js';
import type { ItemInput } from '../../contract/consignments.js';
import { readDimensions, readWeight } from './measures-reader.js';
import { readMetaData } from './metadata-reader.js';
import { readMoney } from './money-reader.js';
import { text, type Problems } from './problems.js';

/** A comma-separated list of content classes, matched case-insensitively; an unknown one is a problem. */
export function readContent(value: string | null | undefined, target: string, p: Problems): ContentClass[] {
  if (!value) return [];
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  const out: ContentClass[] = [];
  for (const name of names) {
    const known = CONTENT_CLASSES.find((c) => c.toLowerCase() === name.toLowerCase());
    if (known) out.push(known);
    else p.add(target, `has unknown classification ${name}; use ${CONTENT_CLASSES.join(', ')}`);
  }
  return out;
}

/** An item, without its reference (given when the consignment's references are assigned). */
export function readItem(item: ItemInput, target: string, p: Problems): ItemData {
  const country = item.CountryOfOrigin?.IsoCode.TwoLetterCode.trim().toUpperCase() ?? null;
  if (country !== null && !isCountryCode(country)) p.add(`${target}.CountryOfOrigin`, `has unknown country code ${country}`);
  const quantity = item.Quantity ?? item.UnitOfQuantity ?? 1;
  if (quantity < 1) p.add(`${target}.Quantity`, 'must be at least 1');
  return {
    reference: '',
    itemReferenceProvidedByCustomer: item.ItemReferenceProvidedByCustomer ?? item.ItemReferenceAssignedByCustomer ?? null,
    sku: text(item.Sku, `${target}.Sku`, p),
    model: text(item.Model, `${target}.Model`, p),
    description: text(item.Description, `${target}.Description`, p),
    countryOfOrigin: country,
    harmonisationCode: text(item.HarmonisationCode, `${target}.HarmonisationCode`, p),
    weightKg: readWeight(item.Weight, `${target}.Weight`, p, false),
    dimensions: readDimensions(item.Dimensions, `${target}.Dimensions`, p),
    value: readMoney(item.Value, `${target}.Value`, p),
    quantity,
    unit: item.Unit ?? item.ItemUnit ?? null,
    contentClassification: readContent(item.ContentClassification, `${target}.ContentClassification`, p),
    metaData: readMetaData(item.MetaData, `${target}.MetaData`, p),
  };
}
