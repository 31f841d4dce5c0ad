import { currencyExponent } from '../kernel/money/money.js';
import { CSV_COLUMNS, RESULT_ORDER } from './reconciliation.rows.js';
import { internalRange, platformRange, type ReconciliationScope } from './reconciliation.sql.js';

/** `(exponent, 10^exponent)` by currency code as SQL CASE expressions; NULL for the default exponent 2. */
function exponentOf(currency: string): { e: string; d: string } {
  const codes = (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('currency');
  const byExp = new Map<number, string[]>();
  for (const c of codes) {
    const e = currencyExponent(c);
    if (e !== 2) byExp.set(e, [...(byExp.get(e) ?? []), `'${c}'`]);
  }
  const arms = (f: (e: number) => string) => [...byExp].map(([e, cs]) => `WHEN ${currency} IN (${cs.join(', ')}) THEN ${f(e)}`).join(' ');
  return { e: `(CASE ${arms((e) => String(e))} END)`, d: `(CASE ${arms((e) => `${10 ** e}::numeric`)} END)` };
}

/**
 * Integer minor units → exact decimal text (numeric, never floating point); `e` and `d` are the
 * currency's exponent and 10^e, NULL for the default 2.
 */
export function moneySql(amount: string, e: string, d: string): string {
  return `round((${amount})::numeric / COALESCE(${d}, 100::numeric), COALESCE(${e}, 2))::text`;
}

/** Same rule as neutraliseCell: a text cell starting with = + - @ tab CR gets a leading quote, unless it is a plain number. */
export function safeCellSql(text: string): string {
  return `CASE WHEN left(${text}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') AND ${text} !~ '^-?[0-9]+([.][0-9]+)?$' THEN '''' || ${text} ELSE ${text} END`;
}

const iso = (ts: string) => `to_char(${ts} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The reconciliation as one `COPY (...) TO STDOUT (FORMAT csv)`: PostgreSQL formats and quotes
 * every record (RFC 4180 quoting) and neutralises formula cells, so the service only forwards
 * bytes — constant memory and no per-row JavaScript, whatever the range. The records come from the
 * two range scans in report order (merged, not sorted); the totals follow, aggregated from the same
 * ranges in the same statement (so the same snapshot). Columns are CSV_COLUMNS; empty cells are NULL.
 */
export function reconciliationCopySql(s: ReconciliationScope): string {
  const money = (amount: string, currency: string) => {
    const x = exponentOf(currency);
    return moneySql(amount, x.e, x.d);
  };
  const internal = [
    `'refund'`, 'r.shop_id::text', safeCellSql('sh.name'), 'r.order_id::text', safeCellSql('o.order_number'), safeCellSql('o.platform_order_id'),
    safeCellSql('o.customer_name'), 'r.id::text', safeCellSql('COALESCE(r.matched_platform_ref, r.platform_refund_id)'), money('r.amount', 'r.currency'),
    money('r.matched_platform_amount', 'r.currency'), 'trim(r.currency)', safeCellSql('r.reason'), 'r.source_type', 'r.source_id::text',
    safeCellSql('r.responsibility'), 'r.status', iso('r.created_at'), iso('r.matched_platform_refunded_at'), 'r.match_result', 'NULL', 'NULL',
  ];
  const platform = [
    `'refund'`, 'p.shop_id::text', safeCellSql('sh.name'), 'p.order_id::text', safeCellSql('o.order_number'), safeCellSql('p.platform_order_id'),
    safeCellSql('o.customer_name'), 'NULL', safeCellSql('p.platform_refund_id'), 'NULL',
    money('p.amount', 'p.currency'), 'trim(p.currency)', safeCellSql('p.reason'), 'NULL', 'NULL',
    'NULL', 'NULL', 'NULL', iso('p.refunded_at'), 'p.match_result', 'NULL', 'NULL',
  ];
  const total = [
    `'total'`, ...Array<string>(8).fill('NULL'), money('t.internal', 't.currency'), money('t.platform', 't.currency'), 't.currency',
    ...Array<string>(7).fill('NULL'), 't.result', 't.n::text', money('t.internal - t.platform', 't.currency'),
  ];
  for (const cols of [internal, platform, total]) if (cols.length !== CSV_COLUMNS.length) throw new Error('reconciliation CSV columns out of step');
  const names = CSV_COLUMNS.map((_, k) => `c${k}`);
  const rank = `CASE t.result ${RESULT_ORDER.map((r, k) => `WHEN '${r}' THEN ${k}`).join(' ')} ELSE ${RESULT_ORDER.length} END`;
  return `COPY (
(SELECT ${names.join(', ')} FROM (
  SELECT ${internal.map((c, k) => `${c} AS c${k}`).join(', ')}, r.created_at AS at, r.id AS tiebreak
    FROM ${internalRange(s, { orders: true, shops: true })}
  UNION ALL
  SELECT ${platform.join(', ')}, p.refunded_at, p.id
    FROM ${platformRange(s, { orders: true, shops: true })}
  ) x ORDER BY x.at, x.tiebreak)
UNION ALL
(SELECT ${total.join(', ')} FROM (
  SELECT COALESCE(match_result, 'all') AS result, currency, count(*) AS n, COALESCE(sum(internal), 0) AS internal, COALESCE(sum(platform), 0) AS platform
    FROM (SELECT r.match_result, trim(r.currency) AS currency, r.amount AS internal, r.matched_platform_amount AS platform FROM ${internalRange(s)}
          UNION ALL
          SELECT p.match_result, trim(p.currency), NULL, p.amount FROM ${platformRange(s)}) a
   GROUP BY GROUPING SETS ((match_result, currency), (currency))
  ) t ORDER BY ${rank}, t.currency COLLATE "C")
) TO STDOUT WITH (FORMAT csv)`;
}
