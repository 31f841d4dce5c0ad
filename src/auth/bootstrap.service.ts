import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { hashPassword } from '../kernel/auth/password.js';
import { Role } from '../kernel/auth/roles.js';

const BOOTSTRAP_LOCK = 724_002;

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
      // Printed once, on the first start only: it is not stored anywhere in clear.
      this.logger.warn(`Created admin ${this.config.bootstrapAdminEmail} with generated password: ${generated}`);
      process.stdout.write(`\n  Bootstrap admin: ${this.config.bootstrapAdminEmail}\n  Password:        ${generated}\n  (shown once; set BOOTSTRAP_ADMIN_PASSWORD to choose it)\n\n`);
    } else {
      this.logger.log(`Created admin ${this.config.bootstrapAdminEmail}`);
    }
    return { created: true, generatedPassword: generated };
  }
}
