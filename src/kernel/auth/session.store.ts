import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import type { Caller, Role } from './roles.js';

const SESSION_CACHE_MS = 5_000;
const SESSION_CACHE_MAX = 10_000;

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Opaque bearer tokens, kept only as hashes, revocable by deactivating the staff member. */
@Injectable()
export class SessionStore {
  /** One lookup per request: the rate limiter keys on the caller, then the auth guard uses it. */
  private readonly perRequest = new WeakMap<object, Promise<Caller | null>>();
  /**
   * Resolved sessions by token hash, kept briefly so that a burst of requests costs one lookup
   * (SPEC §13: case actions in a bounded number of round trips). A revocation or role change
   * applies at once on this instance (`forget`) and within SESSION_CACHE_MS on the others.
   */
  private readonly cache = new Map<string, { caller: Caller; until: number }>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(staffId: string, merchantId: string): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.tokenTtlHours * 3600_000);
    await this.db.query('INSERT INTO sessions (token_hash, staff_id, merchant_id, expires_at) VALUES ($1, $2, $3, $4)', [hashToken(token), staffId, merchantId, expiresAt]);
    return { token, expiresAt };
  }

  async resolve(token: string): Promise<Caller | null> {
    if (token.length > 200) return null;
    const hash = hashToken(token);
    const now = Date.now();
    const hit = this.cache.get(hash);
    if (hit && hit.until > now) return hit.caller;
    const rows: Array<{ staff_id: string; merchant_id: string; role: Role; expires_at: Date }> = await this.db.query(
      `SELECT s.staff_id, s.merchant_id, st.role, s.expires_at FROM sessions s JOIN staff st ON st.id = s.staff_id
        WHERE s.token_hash = $1 AND s.expires_at > now() AND st.active`,
      [hash],
    );
    if (!rows.length) {
      this.cache.delete(hash);
      return null;
    }
    const caller: Caller = { type: 'staff', staffId: rows[0].staff_id, merchantId: rows[0].merchant_id, role: rows[0].role };
    if (this.cache.size >= SESSION_CACHE_MAX) this.cache.clear();
    // Never past the session's own expiry.
    this.cache.set(hash, { caller, until: Math.min(now + SESSION_CACHE_MS, new Date(rows[0].expires_at).getTime()) });
    return caller;
  }

  /** Drops the cached sessions of a staff member (a role change, deactivation, new password) on this instance. */
  forget(staffId: string): void {
    for (const [hash, e] of this.cache) if (e.caller.staffId === staffId) this.cache.delete(hash);
  }

  /** The caller of a request's bearer token (null without one or when invalid), resolved once per request. */
  resolveRequest(req: { headers: Record<string, unknown> }): Promise<Caller | null> {
    let found = this.perRequest.get(req);
    if (!found) {
      const token = bearerToken(req.headers.authorization);
      found = token ? this.resolve(token) : Promise.resolve(null);
      this.perRequest.set(req, found);
    }
    return found;
  }

  async revokeAllFor(staffId: string): Promise<void> {
    await this.db.query('DELETE FROM sessions WHERE staff_id = $1', [staffId]);
    this.forget(staffId);
  }
}
