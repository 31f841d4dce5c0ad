import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, HttpStatus, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import type { Caller } from '../auth/roles.js';
import { Conflict, InvalidInput, RuleViolation } from '../errors/domain-errors.js';

const HTTP_CODE_METADATA = '__httpCode__';

/** JSON with sorted keys, so the same body in another key order is the same request. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * `Idempotency-Key` on admin POSTs, kept in PostgreSQL: the same key and request within the TTL
 * replays the first response without doing the work again; the same key with another request
 * answers 422; a retry while the first is still running answers 409. Failed requests release the key.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { caller?: Caller }>();
    const raw = req.headers['idempotency-key'];
    if (req.method !== 'POST' || raw === undefined || !req.caller) return next.handle();
    // A multipart upload's body is read by the handler, so it cannot be hashed here; uploads are
    // idempotent by content anyway (the same bytes on a case are one attachment).
    if (typeof req.isMultipart === 'function' && req.isMultipart()) return next.handle();
    return from(this.handle(ctx, next, req, Array.isArray(raw) ? raw[0] : raw, req.caller));
  }

  private async handle(ctx: ExecutionContext, next: CallHandler, req: FastifyRequest, key: string, caller: Caller): Promise<unknown> {
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw new InvalidInput('Idempotency-Key must be 1–255 visible ASCII characters', [{ field: 'Idempotency-Key', errors: ['invalid format'] }]);
    }
    const path = (req.url ?? '').split('?')[0];
    const hash = createHash('sha256').update(`${req.method} ${path}\n${canonicalJson(req.body ?? null)}`).digest('hex');
    const merchantId = caller.merchantId;
    await this.db.query('DELETE FROM idempotency_keys WHERE merchant_id = $1 AND key = $2 AND expires_at < now()', [merchantId, key]);
    const claimed: unknown[] = await this.db.query(
      `INSERT INTO idempotency_keys (merchant_id, key, request_hash, state, expires_at)
       VALUES ($1, $2, $3, 'in_progress', now() + make_interval(hours => $4))
       ON CONFLICT (merchant_id, key) DO NOTHING RETURNING key`,
      [merchantId, key, hash, this.config.idempotencyTtlHours],
    );
    if (!claimed.length) {
      const rows: Array<{ request_hash: string; state: string; response_status: number; response_body: unknown }> = await this.db.query(
        'SELECT request_hash, state, response_status, response_body FROM idempotency_keys WHERE merchant_id = $1 AND key = $2',
        [merchantId, key],
      );
      const prior = rows[0];
      if (!prior) throw new Conflict('A request with this Idempotency-Key is being processed; retry shortly');
      if (prior.request_hash !== hash) throw new RuleViolation('This Idempotency-Key was already used with a different request');
      if (prior.state !== 'done') throw new Conflict('A request with this Idempotency-Key is still in progress; retry shortly');
      const reply = ctx.switchToHttp().getResponse<FastifyReply>();
      void reply.header('idempotent-replayed', 'true');
      return prior.response_body;
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      const status = (Reflect.getMetadata(HTTP_CODE_METADATA, ctx.getHandler()) as number | undefined) ?? HttpStatus.CREATED;
      await this.db.query(
        `UPDATE idempotency_keys SET state = 'done', response_status = $3, response_body = $4 WHERE merchant_id = $1 AND key = $2`,
        [merchantId, key, status, JSON.stringify(body ?? null)],
      );
      return body;
    } catch (err) {
      await this.db.query('DELETE FROM idempotency_keys WHERE merchant_id = $1 AND key = $2', [merchantId, key]);
      throw err;
    }
  }
}
