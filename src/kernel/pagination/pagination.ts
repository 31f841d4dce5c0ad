import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { InvalidInput } from '../errors/domain-errors.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export class PageQueryDto {
  @ApiPropertyOptional({ description: `Page size, 1–${MAX_PAGE_SIZE}`, default: DEFAULT_PAGE_SIZE, minimum: 1, maximum: MAX_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page\'s nextCursor' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

interface CursorKey {
  t: string;
  i: string;
}

export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify({ t: createdAt.toISOString(), i: id })).toString('base64url');
}

export function decodeCursor(cursor: string): CursorKey {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorKey>;
    if (typeof v.t === 'string' && typeof v.i === 'string' && !Number.isNaN(Date.parse(v.t)) && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v.i)) return { t: v.t, i: v.i };
  } catch {
    // fall through
  }
  throw new InvalidInput('Invalid cursor', [{ field: 'cursor', errors: ['cursor is not one this service issued'] }]);
}

/**
 * Keyset pagination, newest first (created_at is timestamptz(3) so the cursor's millisecond is exact), on `<alias>.created_at` and `<alias>.id`.
 * Fetches one row more than asked to know whether a next page exists.
 */
export async function paginate<E extends ObjectLiteral & { id: string; createdAt: Date }>(
  qb: SelectQueryBuilder<E>,
  alias: string,
  q: PageQueryDto,
): Promise<Page<E>> {
  const limit = q.limit ?? DEFAULT_PAGE_SIZE;
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    qb.andWhere(`(${alias}.created_at, ${alias}.id) < (:__ct, :__ci)`, { __ct: c.t, __ci: c.i });
  }
  qb.orderBy(`${alias}.created_at`, 'DESC').addOrderBy(`${alias}.id`, 'DESC').take(limit + 1);
  const rows = await qb.getMany();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

export function mapPage<A, B>(page: Page<A>, fn: (a: A) => B): Page<B> {
  return { items: page.items.map(fn), nextCursor: page.nextCursor };
}

/** Builds a parameterised WHERE clause: `add('status = ?', v)` appends a condition with its value. */
export class SqlFilter {
  readonly where: string[] = [];
  readonly params: unknown[] = [];

  constructor(first: string, value: unknown) {
    this.add(first, value);
  }

  add(condition: string, value: unknown): this {
    this.params.push(value);
    this.where.push(condition.replace('?', `$${this.params.length}`));
    return this;
  }

  /** A condition without a value. */
  raw(condition: string): this {
    this.where.push(condition);
    return this;
  }
}

/**
 * Keyset pagination for raw SQL, newest first on `created_at` (timestamptz(3)) and `id`, the same
 * cursor as `paginate`. `table` is a trusted identifier; filters come parameterised.
 */
export async function paginateSql<R extends { id: string; created_at: Date }>(
  db: { query(sql: string, params?: unknown[]): Promise<unknown> },
  table: string,
  filter: SqlFilter,
  q: PageQueryDto,
): Promise<Page<R>> {
  const limit = q.limit ?? DEFAULT_PAGE_SIZE;
  const where = [...filter.where];
  const params = [...filter.params];
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    params.push(c.t, c.i);
    where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(limit + 1);
  const rows = (await db.query(`SELECT * FROM ${table} WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`, params)) as R[];
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null };
}
