/** Money is integer minor units; conversion goes through strings/BigInt, never floating point. */
export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

const exponentCache = new Map<string, number>();

/** ISO 4217 minor-unit digits (CNY 2, USD 2, JPY 0, KWD 3). */
export function currencyExponent(currency: string): number {
  if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency)) {
    throw new MoneyError(`Invalid currency code "${String(currency)}"`);
  }
  const code = currency.toUpperCase();
  const cached = exponentCache.get(code);
  if (cached !== undefined) return cached;
  let digits: number | undefined;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
      .maximumFractionDigits;
  } catch {
    throw new MoneyError(`Invalid currency code "${currency}"`);
  }
  if (digits === undefined || !Number.isInteger(digits) || digits < 0) {
    throw new MoneyError(`Cannot determine minor units for "${currency}"`);
  }
  exponentCache.set(code, digits);
  return digits;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function toSafeNumber(v: bigint, what: string): number {
  if (v > MAX_SAFE || v < -MAX_SAFE) throw new MoneyError(`${what} exceeds the safe integer range`);
  return Number(v);
}

/** Parses a platform decimal amount ("199.00", "-5.5", "12") into minor units. */
export function parseMoney(value: string | number, currency = 'CNY'): number {
  const exp = currencyExponent(currency);
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new MoneyError(`Invalid amount ${value}`);
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    throw new MoneyError(`Invalid amount ${String(value)}`);
  }
  const m = DECIMAL.exec(text);
  if (!m) throw new MoneyError(`Invalid amount "${text}"`);
  const [, sign, intPart, fracRaw = ''] = m;
  let frac = fracRaw;
  if (frac.length > exp) {
    if (/[^0]/.test(frac.slice(exp))) {
      throw new MoneyError(`Amount "${text}" has more than ${exp} fraction digits for ${currency}`);
    }
    frac = frac.slice(0, exp);
  }
  const minor = BigInt(intPart + frac.padEnd(exp, '0'));
  return toSafeNumber(sign === '-' ? -minor : minor, `Amount "${text}"`);
}

/** Formats minor units as a decimal string ("199.00", "-5.50", JPY "500"). */
export function formatMoney(minor: number, currency = 'CNY'): string {
  if (!Number.isSafeInteger(minor)) throw new MoneyError(`Minor amount ${minor} is not a safe integer`);
  const exp = currencyExponent(currency);
  const neg = minor < 0;
  const digits = (neg ? -BigInt(minor) : BigInt(minor)).toString();
  let body: string;
  if (exp === 0) {
    body = digits;
  } else {
    const padded = digits.padStart(exp + 1, '0');
    body = `${padded.slice(0, -exp)}.${padded.slice(-exp)}`;
  }
  return neg ? `-${body}` : body;
}

/** Sums minor amounts exactly; the result must be a safe integer. */
export function sumMinor(values: number[]): number {
  let total = 0n;
  for (const v of values) {
    if (!Number.isSafeInteger(v)) throw new MoneyError(`Minor amount ${v} is not a safe integer`);
    total += BigInt(v);
  }
  return toSafeNumber(total, 'Sum');
}
