// `npm run migration:run`: applies pending migrations to DATABASE_URL, or to the embedded database.
import 'reflect-metadata';
import { loadConfig } from '../config/config.js';
import { runMigrations } from './data-source.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

const config = loadConfig(process.env);
const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort);
try {
  const applied = await runMigrations(config.databaseUrl ?? embedded!.url, false);
  process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'No pending migrations\n');
} finally {
  await embedded?.stop();
}
