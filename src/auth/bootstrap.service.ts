import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { hashPassword } from '../kernel/auth/password.js';
import { Role } from '../kernel/auth/roles.js';

const BOOTSTRAP_LOCK = 724_002;
export const PASSWORD_FILE = 'bootstrap-admin-password.txt';

/** First start on an empty database: one merchant and its admin. */
@Injectable()
export class BootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureAdmin();
  }

  /** Returns the generated password when one was made, so it can be shown once. */
  async ensureAdmin(): Promise<{ created: boolean; generatedPassword?: string }> {
    const generated = this.config.bootstrapAdminPassword ? undefined : randomBytes(12).toString('base64url');
    const password = this.config.bootstrapAdminPassword ?? generated!;
    const created = await this.db.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
      const [{ n }]: Array<{ n: number }> = await m.query('SELECT count(*)::int AS n FROM merchants');
      if (n > 0) return false;
      const [merchant]: Array<{ id: string }> = await m.query('INSERT INTO merchants (name) VALUES ($1) RETURNING id', [this.config.bootstrapMerchantName]);
      await m.query('INSERT INTO staff (merchant_id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5)', [
        merchant.id,
        this.config.bootstrapAdminEmail,
        'Administrator',
        Role.Admin,
        await hashPassword(password),
      ]);
      return true;
    });
    if (!created) return { created: false };
    if (generated) {
      this.logger.warn(`Created admin ${this.config.bootstrapAdminEmail} with a generated password, ${this.showOnce(generated)}`);
    } else {
      this.logger.log(`Created admin ${this.config.bootstrapAdminEmail}`);
    }
    return { created: true, generatedPassword: generated };
  }

  /**
   * SPEC §4 and issue 11 (13): a generated password is shown once, plainly, on the terminal, or
   * written to a 0600 file under DATA_DIR — never in the structured log, which is collected and
   * kept. When stderr is not a terminal (a service manager, a container, CI) it is a log too, so
   * the file is used then. Returns where it went, for the log line.
   */
  private showOnce(password: string): string {
    const email = this.config.bootstrapAdminEmail;
    if (process.stderr.isTTY) {
      const lines = [`Bootstrap admin: ${email}`, `Password:        ${password}`, 'Shown once. Set BOOTSTRAP_ADMIN_PASSWORD to choose it.'];
      const width = Math.max(...lines.map((l) => l.length));
      const rule = `+${'-'.repeat(width + 2)}+`;
      process.stderr.write(`\n${rule}\n${lines.map((l) => `| ${l.padEnd(width)} |`).join('\n')}\n${rule}\n\n`);
      return 'shown once on the terminal';
    }
    const dir = resolve(this.config.dataDir);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, PASSWORD_FILE);
    writeFileSync(file, `${email}\n${password}\n`, { mode: 0o600 });
    chmodSync(file, 0o600); // an older file keeps its mode on overwrite
    return `written to ${file} (mode 0600; delete it once read)`;
  }
}
