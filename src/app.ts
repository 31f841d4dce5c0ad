import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import { registerMultipart } from './kernel/attachments/multipart.js';
import { registerConsole } from './console-static.js';
import type { AppConfig } from './config/config.js';
import { runMigrations } from './database/data-source.js';
import { registerICalendarBody } from './kernel/calendar/icalendar-body.js';
import { registerRateLimits } from './kernel/auth/rate-limits.js';
import { nestLogLevels, pinoOptions, SafeConsoleLogger } from './kernel/logging/loggers.js';
import { registerRequestEdge } from './kernel/http/request-edge.js';
import { InFlightRequests } from './kernel/http/in-flight-requests.js';
import { ApiDocument } from './kernel/openapi/api-document.js';
import { buildOpenApiDocument } from './kernel/openapi/build-document.js';
import type { FinishResult } from './kernel/openapi/finish-document.js';

const REQUEST_ID = /^[\w.:-]{1,100}$/;

export interface CreateAppOptions {
  extraModules?: Array<Type | DynamicModule>;
  /** Where the request log (pino) is written instead of stdout (tests read it). */
  logStream?: { write(msg: string): void };
  /** The built console (default: console/dist of the project). */
  consoleDir?: string;
}

/** Builds the whole HTTP application on a migrated database; `listen` is left to the caller. */
export async function createApp(config: AppConfig, databaseUrl: string, opts: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  await runMigrations(databaseUrl, config.logLevel !== 'silent');

  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    logger: config.logLevel === 'silent' ? false : pinoOptions(config.logLevel, opts.logStream),
    requestIdHeader: false,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    trustProxy: false,
  });
  const levels = nestLogLevels(config.logLevel);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config, databaseUrl, extraModules: opts.extraModules }), adapter, {
    rawBody: true,
    // From the first moment of a shutdown new requests are refused; in-flight ones finish (SPEC §13).
    return503OnClosing: true,
    logger: levels === false ? false : new SafeConsoleLogger({ logLevels: levels }),
  });

  // Body parsing, content types and text the database cannot store (SPEC §4)
  registerRequestEdge(app);

  const fastify = app.getHttpAdapter().getInstance();
  app.get(InFlightRequests).attach(fastify);
  fastify.addHook('onSend', async (req, reply) => {
    void reply.header('x-request-id', req.id);
    // Shutting down (the server no longer listens): end the connection with this response, or a
    // keep-alive connection that goes idle after the close began would hold the close up.
    if (!fastify.server.listening) void reply.header('connection', 'close');
  });
  registerICalendarBody(fastify);
  // Errors raised by Fastify itself (body too large, bad JSON, rate limit) reach Nest's error
  // handler and so the one global AllExceptionsFilter.
  await registerRateLimits(app, config);
  // Case evidence uploads (SPEC §8); every other route stays JSON-only.
  await registerMultipart(app);
  // The staff console (SPEC §14), built into console/dist, served beside the API it calls.
  await registerConsole(app, opts.consoleDir);

  // The contract clients are generated from (src/client): the same document `npm run lint:api` checks.
  const { doc } = buildOpenApiDocument(app, config.publicBaseUrl);
  app.get(ApiDocument).set(doc);
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs-json' });

  await app.init();
  return app;
}

/**
 * The OpenAPI document `createApp` serves at /docs-json, built without a database: Nest's preview
 * mode builds the module graph and reads the controllers' metadata without instantiating any
 * provider (no connection is opened). For `npm run lint:api` and the client generation.
 */
export async function buildApiDocument(config: AppConfig, opts: Pick<CreateAppOptions, 'extraModules'> = {}): Promise<FinishResult> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, databaseUrl: config.databaseUrl ?? 'postgres://unused@127.0.0.1:1/unused', extraModules: opts.extraModules }),
    new FastifyAdapter(),
    { preview: true, logger: false, abortOnError: false },
  );
  try {
    return buildOpenApiDocument(app, config.publicBaseUrl);
  } finally {
    await app.close();
  }
}
