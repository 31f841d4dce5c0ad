import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { ConfigError, loadConfig } from './config/config.js';
import { buildOpenApiDocument } from './kernel/openapi/build-document.js';

/**
 * `node dist/src/openapi.js <file>`: writes the OpenAPI document the service serves at /docs-json,
 * without a database — Nest's preview mode builds the module graph and reads the controllers'
 * metadata without instantiating any provider (no connection is opened). Used by `npm run lint:api`
 * and the client generation (`npm run gen:client`).
 */
async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: node dist/src/openapi.js <output.json>');
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const app = await NestFactory.create(
    AppModule.forRoot({ config, databaseUrl: config.databaseUrl ?? 'postgres://unused@127.0.0.1:1/unused' }),
    new FastifyAdapter(),
    { preview: true, logger: false, abortOnError: false },
  );
  const { doc, unmatched } = buildOpenApiDocument(app, config.publicBaseUrl);
  await app.close();
  if (unmatched.length) throw new Error(`operations without a controller route (errors and security guessed from the path): ${unmatched.join(', ')}`);
  writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? `Configuration error: ${err.message}` : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
