import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { TooManyRequests } from '../kernel/errors/domain-errors.js';

/** The account a login names: its email, trimmed and lower-cased, whether or not it exists. */
export function loginAccount(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Per-account login lockout (SPEC §4), in PostgreSQL so that every instance counts the same
 * failures: LOGIN_LOCKOUT_FAILURES failed logins within LOGIN_LOCKOUT_WINDOW_SECONDS lock the
 * account for LOGIN_LOCKOUT_SECONDS (429 with Retry-After, even with the right password).
 *
 * An attempt is counted before its password is checked and forgotten when it succeeds, so a burst
 * of parallel guesses cannot check more passwords than the limit. Unknown emails are counted like
 * known ones, so a lockout says nothing about whether an account exists.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts an attempt on `account`; throws TooManyRequests while it is locked. Returns the attempt's number in the window. */
  async begin(account: string): Promise<number> {
    const { lockoutFailures, failureWindowSeconds } = this.config.login;
    const rows: Array<{ failures: number }> = await this.db.query(
      `INSERT INTO login_throttle AS t (account, failures, window_started_at) VALUES ($1, 1, now())
       ON CONFLICT (account) DO UPDATE SET
         failures = CASE WHEN t.window_started_at <= now() - make_interval(secs => $2) THEN 1 ELSE t.failures + 1 END,
         window_started_at = CASE WHEN t.window_started_at <= now() - make_interval(secs => $2) THEN now() ELSE t.window_started_at END,
         locked_until = NULL
       WHERE t.locked_until IS NULL OR t.locked_until <= now()
       RETURNING failures`,
      [account, failureWindowSeconds],
    );
    if (!rows.length) throw await this.lockedError(account);
    if (rows[0].failures > lockoutFailures) {
      await this.lock(account);
      throw await this.lockedError(account);
    }
    return rows[0].failures;
  }

  /** A failed attempt: the one that reaches the limit locks the account. */
  async failed(account: string, attempt: number): Promise<void> {
    if (attempt >= this.config.login.lockoutFailures) await this.lock(account);
  }

  async succeeded(account: string): Promise<void> {
    await this.db.query('DELETE FROM login_throttle WHERE account = $1', [account]);
  }

  // The count starts again after the lock, so the right password works once the lock is over.
  private async lock(account: string): Promise<void> {
    await this.db.query(
      `UPDATE login_throttle SET locked_until = now() + make_interval(secs => $2), failures = 0, window_started_at = now()
        WHERE account = $1 AND (locked_until IS NULL OR locked_until <= now())`,
      [account, this.config.login.lockoutSeconds],
    );
  }

  private async lockedError(account: string): Promise<TooManyRequests> {
    const rows: Array<{ wait: number | null }> = await this.db.query(
      `SELECT ceil(extract(epoch FROM locked_until - now()))::int AS wait FROM login_throttle WHERE account = $1`,
      [account],
    );
    const wait = Math.max(1, rows[0]?.wait ?? this.config.login.lockoutSeconds);
    return new TooManyRequests(`Too many failed logins for this account; retry in ${wait} s`, wait);
  }
}
