import { createHash, randomUUID } from 'node:crypto';
import { CallHandler, ExecutionContext, HttpStatus, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import type { Caller } from '../auth/roles.js';
import { Conflict, InvalidInput, RuleViolation } from '../errors/domain-errors.js';
import { redactForReplay } from './replay-redaction.js';

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

/** What a key is bound to: method, path (without query) and the canonical body. */
export function requestHash(method: string, url: string, body: unknown): string {
  const path = url.split('?')[0];
  return createHash('sha256').update(`${method} ${path}\n${canonicalJson(body ?? null)}`).digest('hex');
}

interface PriorKey {
  request_hash: string;
  state: string;
  response_body: unknown;
  redacted_fields: string[];
  lease_id: string | null;
  lapsed: boolean;
  wait_seconds: number;
}

/**
 * `Idempotency-Key` on admin POSTs, kept in PostgreSQL: the same key and request within the TTL
 * replays the first response without doing the work again; the same key with another request
 * answers 422; a retry while the first is still running answers 409 with `Retry-After`. Failed
 * requests release the key.
 *
 * An in-progress key is a lease (`locked_until`), renewed by a heartbeat while its request runs:
 * when the process running it dies, the lease runs out within IDEMPOTENCY_LEASE_SECONDS and the
 * next retry takes the key over and runs the request again (handlers are idempotent or refuse a
 * duplicate themselves). A request that lost its lease still answers its own caller but no longer
 * writes the key. Replays are stored without secrets (see redactForReplay).
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
    const hash = requestHash(req.method, req.url ?? '', req.body);
    const merchantId = caller.merchantId;
    const lease = this.config.idempotencyLeaseSeconds;
    const leaseId = randomUUID();
    await this.db.query('DELETE FROM idempotency_keys WHERE merchant_id = $1 AND key = $2 AND expires_at < now()', [merchantId, key]);
    const claimed: unknown[] = await this.db.query(
      `INSERT INTO idempotency_keys (merchant_id, key, request_hash, state, expires_at, lease_id, locked_until)
       VALUES ($1, $2, $3, 'in_progress', now() + make_interval(hours => $4), $5, now() + make_interval(secs => $6))
       ON CONFLICT (merchant_id, key) DO NOTHING RETURNING key`,
      [merchantId, key, hash, this.config.idempotencyTtlHours, leaseId, lease],
    );
    if (!claimed.length) {
      const rows: PriorKey[] = await this.db.query(
        `SELECT request_hash, state, response_body, redacted_fields, lease_id::text AS lease_id,
                COALESCE(locked_until <= now(), true) AS lapsed,
                GREATEST(1, ceil(extract(epoch FROM locked_until - now())))::int AS wait_seconds
           FROM idempotency_keys WHERE merchant_id = $1 AND key = $2`,
        [merchantId, key],
      );
      const prior = rows[0];
      if (!prior) throw inProgress('A request with this Idempotency-Key is being processed; retry shortly', 1);
      if (prior.request_hash !== hash) throw new RuleViolation('This Idempotency-Key was already used with a different request');
      if (prior.state === 'done') {
        const reply = ctx.switchToHttp().getResponse<FastifyReply>();
        void reply.header('idempotent-replayed', 'true');
        if (prior.redacted_fields.length) void reply.header('idempotent-redacted', prior.redacted_fields.join(','));
        return prior.response_body;
      }
      if (!prior.lapsed) {
        throw inProgress(`A request with this Idempotency-Key is still in progress; retry after ${prior.wait_seconds} s`, prior.wait_seconds);
      }
      // The request that held the key stopped renewing its lease (its process died): take it over.
      const taken: unknown[] = await this.db.query(
        `UPDATE idempotency_keys SET lease_id = $3, locked_until = now() + make_interval(secs => $4)
          WHERE merchant_id = $1 AND key = $2 AND state = 'in_progress' AND lease_id IS NOT DISTINCT FROM $5::uuid
            AND COALESCE(locked_until <= now(), true)
          RETURNING key`,
        [merchantId, key, leaseId, lease, prior.lease_id],
      );
      if (!taken.length) throw inProgress('A request with this Idempotency-Key is being processed; retry shortly', lease);
    }
    const heartbeat = setInterval(() => {
      this.db
        .query(`UPDATE idempotency_keys SET locked_until = now() + make_interval(secs => $4) WHERE merchant_id = $1 AND key = $2 AND lease_id = $3 AND state = 'in_progress'`, [
          merchantId,
          key,
          leaseId,
          lease,
        ])
        .catch(() => undefined); // a missed beat only shortens the lease; the next one renews it
    }, Math.max(200, (lease * 1000) / 3));
    heartbeat.unref();
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      const status = (Reflect.getMetadata(HTTP_CODE_METADATA, ctx.getHandler()) as number | undefined) ?? HttpStatus.CREATED;
      const stored = redactForReplay(body);
      clearInterval(heartbeat);
      await this.db.query(
        `UPDATE idempotency_keys SET state = 'done', response_status = $4, response_body = $5, redacted_fields = $6, locked_until = NULL
          WHERE merchant_id = $1 AND key = $2 AND lease_id = $3`,
        [merchantId, key, leaseId, status, JSON.stringify(stored.body), stored.redacted],
      );
      return body;
    } catch (err) {
      clearInterval(heartbeat);
      await this.db.query('DELETE FROM idempotency_keys WHERE merchant_id = $1 AND key = $2 AND lease_id = $3', [merchantId, key, leaseId]);
      throw err;
    }
  }
}

function inProgress(message: string, retryAfterSeconds: number): Conflict {
  const e = new Conflict(message);
  e.retryAfterSeconds = retryAfterSeconds;
  return e;
}
