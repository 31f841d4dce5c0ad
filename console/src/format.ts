import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

export const DEFAULT_TZ = 'Asia/Shanghai';

/** Minor units → "¥12.34" in the currency's own exponent (JPY 0, CNY 2, KWD 3). */
export function formatMoney(minor: number, currency: string, lang: 'zh' | 'en'): string {
  try {
    const fmt = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', { style: 'currency', currency });
    const digits = fmt.resolvedOptions().maximumFractionDigits ?? 2;
    return fmt.format(minor / 10 ** digits);
  } catch {
    return `${minor} (${currency} minor units)`;
  }
}

/** An instant shown in the shop's timezone, with the zone's abbreviation when it is not the viewer's. */
export function formatTime(iso: string | null | undefined, tz: string = DEFAULT_TZ): string {
  if (!iso) return '—';
  const d = dayjs(iso);
  if (!d.isValid()) return String(iso);
  return d.tz(tz).format('YYYY-MM-DD HH:mm');
}

/** "due 16:00 today" style: the deadline read against the shop's calendar day. */
export function relativeDue(iso: string, tz: string, lang: 'zh' | 'en'): string {
  const due = dayjs(iso).tz(tz);
  const today = dayjs().tz(tz).startOf('day');
  const days = due.startOf('day').diff(today, 'day');
  const hm = due.format('HH:mm');
  const zh = ['今天', '明天', '后天'];
  const en = ['today', 'tomorrow', 'the day after tomorrow'];
  if (days >= 0 && days <= 2) return lang === 'zh' ? `${zh[days]} ${hm} 前` : `by ${hm} ${en[days]}`;
  if (days === -1) return lang === 'zh' ? `昨天 ${hm}` : `${hm} yesterday`;
  return lang === 'zh' ? `${due.format('M月D日')} ${hm}` : `${due.format('MMM D')} ${hm}`;
}

const MONEY_KEY = /(amount|cost|recovered|price|total|refunded|paid)$/i;
const MONEY_EXCLUDE = /(count|share|percent|rate)$/i;

/** Field names the API uses for minor-unit money (e.g. cost, refundAmount, amountClaimed). */
export const isMoneyKey = (key: string): boolean => MONEY_KEY.test(key) && !MONEY_EXCLUDE.test(key);

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
export const isInstant = (v: unknown): v is string => typeof v === 'string' && ISO_INSTANT.test(v);

/** camelCase / snake_case → "Words like this" for generic labels. */
export const humanize = (key: string): string =>
  key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/^./, (c) => c.toUpperCase());
