import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import { ConsoleLogger, DynamicModule, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/config.js';
import { runMigrations } from './database/data-source.js';
import { InFlightRequests } from './kernel/http/in-flight-requests.js';

const REQUEST_ID = /^[\w.:-]{1,100}$/;

function nestLogLevels(level: AppConfig['logLevel']): LogLevel[] | false {
  switch (level) {
    case 'silent':
      return false;
    case 'fatal':
      return ['fatal'];
    case 'error':
      return ['fatal', 'error'];
    case 'warn':
      return ['fatal', 'error', 'warn'];
    case 'info':
      return ['fatal', 'error', 'warn', 'log'];
    default:
      return ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
  }
}

export interface CreateAppOptions {
  extraModules?: Array<Type | DynamicModule>;
}

/** Builds the whole HTTP application on a migrated database; `listen` is left to the caller. */
export async function createApp(config: AppConfig, databaseUrl: string, opts: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  await runMigrations(databaseUrl);

  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
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
    logger: levels === false ? false : new ConsoleLogger({ json: true, logLevels: levels }),
  });

  const fastify = app.getHttpAdapter().getInstance();
  app.get(InFlightRequests).attach(fastify);
  fastify.addHook('onSend', async (req, reply) => {
    void reply.header('x-request-id', req.id);
    // Shutting down (the server no longer listens): end the connection with this response, or a
    // keep-alive connection that goes idle after the close began would hold the close up.
    if (!fastify.server.listening) void reply.header('connection', 'close');
  });
  // Errors raised by Fastify itself (body too large, bad JSON, rate limit) reach Nest's error
  // handler and so the one global AllExceptionsFilter.
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimit.max,
    timeWindow: config.rateLimit.windowMs,
    // Platforms and carriers deliver in bursts from few addresses; their endpoints verify signatures instead.
    allowList: (req) => req.url.startsWith('/webhooks/') || req.url === '/health',
    keyGenerator: (req) => {
      const auth = req.headers.authorization;
      return typeof auth === 'string' && auth.length < 300 ? `t:${auth}` : `ip:${req.ip}`;
    },
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `Rate limit exceeded: at most ${ctx.max} requests per ${ctx.after}; retry later`,
    }),
  });

  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('After-sales operations service')
      .setDescription('Shop after-sales procedures as executable state machines. Admin API under /api/v1, webhooks under /webhooks.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs-json' });

  await app.init();
  return app;
}
