import { currencyExponent } from '../kernel/money/money.js';
import { CSV_COLUMNS } from './reconciliation.rows.js';
import { RECONCILIATION_CTES } from './reconciliation.sql.js';

/** Values inlined into the COPY statement (COPY takes no bind parameters), already escaped as SQL literals. */
export interface CopyLiterals {
  merchantId: string;
  from: string;
  to: string;
  shopId: string;
}

/** `(code, exponent, 10^exponent)` for the ISO codes whose minor-unit exponent is not 2 (2 is the default). */
function exponentValues(): string {
  const codes = (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('currency');
  return codes
    .map((c) => [c, currencyExponent(c)] as const)
    .filter(([, e]) => e !== 2)
    .map(([c, e]) => `('${c}', ${e}, ${10 ** e}::numeric)`)
    .join(', ');
}

/**
 * Integer minor units → exact decimal text (numeric, never floating point); `e` and `d` are the
 * currency's exponent and 10^e, NULL for the default 2.
 */
export function moneySql(amount: string, e: string, d: string): string {
  return `round(${amount}::numeric / COALESCE(${d}, 100::numeric), COALESCE(${e}, 2))::text`;
}

/** Same rule as neutraliseCell: a text cell starting with = + - @ tab CR gets a leading quote, unless it is a plain number. */
export function safeCellSql(text: string): string {
  return `CASE WHEN left(${text}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') AND ${text} !~ '^-?[0-9]+([.][0-9]+)?$' THEN '''' || ${text} ELSE ${text} END`;
}

const iso = (ts: string) => `to_char(${ts} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The reconciliation as one `COPY (...) TO STDOUT (FORMAT csv)`: PostgreSQL formats and quotes
 * every record (RFC 4180 quoting), neutralises formula cells and appends the totals, so the
 * service only forwards bytes — constant memory and no per-row JavaScript, whatever the range.
 * Columns are CSV_COLUMNS; empty cells are NULL (written empty).
 */
export function reconciliationCopySql(lit: CopyLiterals): string {
  const ctes = RECONCILIATION_CTES.replace(/\$1\b/g, `${lit.merchantId}::uuid`).replace(/\$4::uuid/g, `${lit.shopId}::uuid`);
  const refundRow = [
    `'refund'`, 'r.shop_id::text', safeCellSql('r.shop_name'), 'r.order_id::text', safeCellSql('r.order_number'), safeCellSql('r.platform_order_id'),
    safeCellSql('r.customer_name'), 'r.refund_id::text', safeCellSql('r.platform_refund_id'), moneySql('r.internal_amount', 'r.e', 'r.d'),
    moneySql('r.platform_amount', 'r.e', 'r.d'), 'r.currency', safeCellSql('r.reason'), 'r.source_type', safeCellSql('r.source_id::text'),
    safeCellSql('r.responsibility'), 'r.status', iso('r.created_at'), iso('r.platform_refunded_at'), 'r.match_result', 'NULL',
  ];
  const totalRow = [
    `'total'`, ...Array<string>(8).fill('NULL'), moneySql('t.internal', 't.e', 't.d'), moneySql('t.platform', 't.e', 't.d'), 't.currency',
    ...Array<string>(7).fill('NULL'), 't.result', 't.n::text',
  ];
  if (refundRow.length !== CSV_COLUMNS.length || totalRow.length !== CSV_COLUMNS.length) throw new Error('reconciliation CSV columns out of step');
  // period is materialised in report order and read back in that order; the totals follow it.
  // Formatting happens after the sort, on the way out, so the sort moves narrow rows.
  return `COPY (
${ctes},
period AS MATERIALIZED (
  SELECT j.*, s.name AS shop_name, ce.e, ce.d
    FROM joined j JOIN shops s ON s.id = j.shop_id
    LEFT JOIN (VALUES ${exponentValues()}) ce(code, e, d) ON ce.code = j.currency
   WHERE j.at >= ${lit.from}::timestamptz AND j.at < ${lit.to}::timestamptz
   ORDER BY j.at, j.tiebreak
),
totals AS (
  SELECT COALESCE(match_result, 'all') AS result, currency, min(e) AS e, min(d) AS d, count(*) AS n,
         COALESCE(sum(internal_amount), 0) AS internal, COALESCE(sum(platform_amount), 0) AS platform,
         CASE COALESCE(match_result, 'all') WHEN 'matched' THEN 0 WHEN 'amount_mismatch' THEN 1 WHEN 'missing_on_platform' THEN 2
                                            WHEN 'missing_internally' THEN 3 ELSE 4 END AS rank
    FROM period GROUP BY GROUPING SETS ((match_result, currency), (currency))
)
SELECT ${refundRow.join(',\n       ')}
  FROM period r
UNION ALL
(SELECT ${totalRow.join(', ')}
   FROM totals t ORDER BY t.rank, t.currency)
) TO STDOUT WITH (FORMAT csv)`;
}
