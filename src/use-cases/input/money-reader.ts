/** Reading an amount of money: a three-letter currency and an amount within the sanity bound. */
import type { Money } from '../../domain/consignment.js';
import { MAX_AMOUNT } from '../../domain/limits.js';
import type { PackageInput } from '../../contract/consignments.js';
import type { Problems } from './problems.js';

export type MoneyInput = PackageInput['Value'];

/** The amount as given (currency upper-cased), with a problem for each part that is wrong; null when absent. */
export function readMoney(m: MoneyInput, target: string, p: Problems): Money | null {
  if (!m) return null;
  const currency = m.Currency.IsoCode.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) p.add(`${target}.Currency.IsoCode`, 'must be a three-letter ISO 4217 code');
  if (!Number.isFinite(m.Amount) || m.Amount < 0) p.add(`${target}.Amount`, 'must not be negative');
  else if (m.Amount > MAX_AMOUNT) p.add(`${target}.Amount`, `must be at most ${MAX_AMOUNT.toExponential()}`);
  return { amount: m.Amount, currency };
}
