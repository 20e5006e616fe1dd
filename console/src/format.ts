/** How the console writes numbers, money, weights and dates (British English, as the demo is). */

const LOCALE = 'en-GB';
const dateTime = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const count = new Intl.NumberFormat(LOCALE);

export function formatCount(n: number): string {
  return count.format(n);
}

/** An instant (when something happened), in the browser's own time zone. */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : dateTime.format(t);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A shipment's own date (shipping, collection, delivery) as written, in its own offset: a
 * collection at 16:00 in Manchester stays 16:00 whatever the browser's time zone.
 */
export function formatDay(iso: string | null | undefined, withTime = false): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(iso);
  if (!m) return iso;
  const day = `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
  return withTime && m[4] ? `${day} ${m[4]}:${m[5]}` : day;
}

export function formatMoney(money: { Amount: number; Currency: { IsoCode: string } } | null | undefined): string {
  if (!money) return '';
  return formatAmount(money.Amount, money.Currency.IsoCode);
}

export function formatAmount(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(LOCALE, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

export function formatKg(kg: number | null | undefined): string {
  return kg === null || kg === undefined ? '' : `${count.format(kg)} kg`;
}

/** Today's date (yyyy-MM-dd) where the operator is. */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
