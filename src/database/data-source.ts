import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { SafeTypeOrmLogger } from '../kernel/logging/loggers.js';
import { ENTITIES } from './entities.js';

/** `log`: whether TypeORM's messages (migrations, slow queries) are written; never with parameters. */
export function dataSourceOptions(url: string, poolSize = 20, log = true): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    logger: new SafeTypeOrmLogger(log),
    extra: { max: poolSize, application_name: 'after-sales-ops' },
  };
}

const MIGRATION_LOCK = 724_001; // pg_advisory_lock key: one migrator at a time across instances

/** Runs pending migrations under an advisory lock, so two instances starting together are safe. */
export async function runMigrations(url: string, log = true): Promise<string[]> {
  const ds = new DataSource({ ...dataSourceOptions(url, 2, log), migrationsTransactionMode: 'each' });
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const done = await ds.runMigrations({ transaction: 'each' });
      return done.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
    await ds.destroy();
  }
}
