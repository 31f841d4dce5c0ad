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

/** Minor-unit exponent per currency, as a SQL CASE over the codes whose exponent is not 2. */
function exponentCase(cur: string): string {
  const codes = (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('currency');
  const odd = codes.map((c) => [c, currencyExponent(c)] as const).filter(([, e]) => e !== 2);
  return `(CASE ${cur} ${odd.map(([c, e]) => `WHEN '${c}' THEN ${e}`).join(' ')} ELSE 2 END)`;
}

/** Integer minor units → exact decimal text in the currency's exponent (numeric, never floating point). */
export function moneySql(amount: string, cur: string): string {
  const e = exponentCase(cur);
  return `round(${amount}::numeric / (10::numeric ^ ${e}), ${e})::text`;
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
  const ctes = RECONCILIATION_CTES.replace(/\$1\b/g, `${lit.merchantId}::uuid`)
    .replace(/\$4::uuid/g, `${lit.shopId}::uuid`);
  const refundRow = [
    `'refund'`, 'r.shop_id::text', safeCellSql('r.shop_name'), 'r.order_id::text', safeCellSql('r.order_number'), safeCellSql('r.platform_order_id'),
    safeCellSql('r.customer_name'), 'r.refund_id::text', safeCellSql('r.platform_refund_id'), moneySql('r.internal_amount', 'r.currency'),
    moneySql('r.platform_amount', 'r.currency'), 'r.currency', safeCellSql('r.reason'), 'r.source_type', safeCellSql('r.source_id::text'), safeCellSql('r.responsibility'),
    'r.status', iso('r.created_at'), iso('r.platform_refunded_at'), 'r.match_result', 'NULL',
  ];
  const totalRow = [
    `'total'`, ...Array<string>(8).fill('NULL'), moneySql('t.internal', 't.currency'), moneySql('t.platform', 't.currency'), 't.currency',
    ...Array<string>(7).fill('NULL'), 't.result', 't.n::text',
  ];
  if (refundRow.length !== CSV_COLUMNS.length || totalRow.length !== CSV_COLUMNS.length) throw new Error('reconciliation CSV columns out of step');
  const cols = CSV_COLUMNS.map((_, k) => `c${k}`);
  return `COPY (
${ctes},
period AS MATERIALIZED (
  SELECT j.*, s.name AS shop_name, COALESCE(j.order_number, o.order_number) AS order_number2, COALESCE(j.customer_name, o.customer_name) AS customer_name2
    FROM joined j JOIN shops s ON s.id = j.shop_id
    LEFT JOIN orders o ON j.order_number IS NULL AND o.id = j.order_id
   WHERE j.at >= ${lit.from}::timestamptz AND j.at < ${lit.to}::timestamptz
),
totals AS (
  SELECT COALESCE(match_result, 'all') AS result, trim(currency) AS currency, count(*) AS n,
         COALESCE(sum(internal_amount), 0) AS internal, COALESCE(sum(platform_amount), 0) AS platform,
         CASE COALESCE(match_result, 'all') WHEN 'matched' THEN 0 WHEN 'amount_mismatch' THEN 1 WHEN 'missing_on_platform' THEN 2
                                            WHEN 'missing_internally' THEN 3 ELSE 4 END AS rank
    FROM period GROUP BY GROUPING SETS ((match_result, currency), (currency))
)
SELECT ${cols.join(', ')} FROM (
  SELECT 0 AS section, r.at AS k1, r.tiebreak::text AS k2, 0 AS k3, ''::text AS k4,
         ${refundRow.map((e, k) => `${e.replace(/r\.order_number\b/g, 'r.order_number2').replace(/r\.customer_name\b/g, 'r.customer_name2')} AS c${k}`).join(',\n         ')}
    FROM period r
  UNION ALL
  SELECT 1, NULL, NULL, t.rank, t.currency,
         ${totalRow.map((e, k) => `${e} AS c${k}`).join(',\n         ')}
    FROM totals t
) u
ORDER BY section, k1, k2, k3, k4
) TO STDOUT WITH (FORMAT csv)`;
}
