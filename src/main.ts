import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config/config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres.js';
import { nestLogLevels, SafeConsoleLogger } from './kernel/logging/loggers.js';
import { DataDirInUse } from './database/postmaster-lock.js';
import { settledWithin } from './kernel/jobs/settled-within.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const levels = nestLogLevels(config.logLevel);
  Logger.overrideLogger(levels === false ? false : new SafeConsoleLogger({ logLevels: levels }));
  const logger = new Logger('Main');
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort, (line) => logger.warn(line));
    url = embedded.url;
    logger.log(`Embedded PostgreSQL running with data in ${config.dataDir}`);
  }
  let app;
  try {
    app = await createApp(config, url);
  } catch (err) {
    if (embedded) await embedded.stop();
    throw err;
  }
  // One orderly shutdown (SPEC §13): new requests are refused (503) while in-flight requests,
  // running jobs and webhook deliveries finish (bounded by SHUTDOWN_GRACE_MS); then the pools
  // close (Nest hooks: onModuleDestroy → beforeApplicationShutdown → HTTP close →
  // onApplicationShutdown), then PostgreSQL. embedded-postgres installs its own signal handlers
  // that would stop the server under the running app; drop them.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, shutting down`);
    const grace = config.shutdownGraceMs;
    // What overruns the grace period is cut off rather than holding the process (and PostgreSQL) up.
    const cutOff = setTimeout(() => {
      logger.warn(`requests still open after ${grace} ms; closing their connections`);
      app.getHttpServer().closeAllConnections();
    }, grace + 1000);
    let code = 0;
    try {
      const closed = await settledWithin(app.close(), grace + 10_000);
      if (!closed) {
        logger.error('shutdown did not finish in time; stopping anyway');
        code = 1;
      }
    } catch (err) {
      logger.error(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
      code = 1;
    } finally {
      clearTimeout(cutOff);
      if (embedded) await embedded.stop();
      process.exit(code);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  logger.log(`Serving on http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port} (API docs at /docs)`);
}

main().catch((err: unknown) => {
  const text = err instanceof DataDirInUse ? err.message : err instanceof Error ? (err.stack ?? err.message) : `${String(err)} (no reason given)`;
  process.stderr.write(`Failed to start: ${text}\n`);
  process.exit(1);
});
