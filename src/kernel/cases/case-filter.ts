import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { SqlFilter } from '../pagination/pagination.js';
import type { CaseListQuery } from './case-query.dto.js';

export interface CaseFilterOptions {
  /** Table alias prefixed to the columns (TypeORM query builders); none for raw SQL. */
  alias?: string;
  /** Column `from`/`to` apply to (default created_at; e.g. placed_at, reported_at). */
  dateColumn?: string;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/**
 * The one filter builder of case lists (SPEC §4): the merchant's rows, then `shopId`, `status`
 * (any of), `assigneeId`, the date range and `overdue` (past `due_at` now; false = not past it or
 * no deadline). Returns parameterised SQL for `paginateSql`, or for a query builder through
 * `applyFilter`; a module adds its own conditions to the same filter.
 */
export function caseFilter(merchantId: string, q: CaseListQuery, opts: CaseFilterOptions = {}): SqlFilter {
  const date = opts.dateColumn ?? 'created_at';
  if (!IDENT.test(date) || (opts.alias !== undefined && !IDENT.test(opts.alias))) throw new Error(`caseFilter: bad identifier ${opts.alias ?? ''}.${date}`);
  const col = (c: string) => (opts.alias ? `${opts.alias}.${c}` : c);
  const f = new SqlFilter(`${col('merchant_id')} = ?`, merchantId);
  if (q.shopId) f.add(`${col('shop_id')} = ?`, q.shopId);
  if (q.status?.length) f.add(`${col('status')} = ANY(CAST(? AS text[]))`, q.status);
  if (q.assigneeId) f.add(`${col('assignee_id')} = ?`, q.assigneeId);
  if (q.from) f.add(`${col(date)} >= CAST(? AS timestamptz)`, q.from);
  if (q.to) f.add(`${col(date)} < CAST(? AS timestamptz)`, q.to);
  if (q.overdue === true) f.raw(`${col('due_at')} < now()`);
  if (q.overdue === false) f.raw(`(${col('due_at')} IS NULL OR ${col('due_at')} >= now())`);
  return f;
}

/** Adds a filter's conditions to a TypeORM query builder (positional parameters become named ones). */
export function applyFilter<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, f: SqlFilter): SelectQueryBuilder<E> {
  const params = Object.fromEntries(f.params.map((v, i) => [`cf${i + 1}`, v]));
  for (const w of f.where) qb.andWhere(w.replace(/\$(\d+)/g, (_, n: string) => `:cf${n}`), params);
  return qb;
}
