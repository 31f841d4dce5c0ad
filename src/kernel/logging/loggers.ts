import { ConsoleLogger, type ConsoleLoggerOptions, Logger, type LogLevel } from '@nestjs/common';
import type { FastifyServerOptions } from 'fastify';
import type { Logger as TypeOrmLogger } from 'typeorm';
import type { AppConfig } from '../../config/config.js';
import { isSecretKey, REDACTED, redactSecrets, scrubText, SECRET_KEYS, serializeErrorForLog } from './redact.js';

/**
 * Nest's JSON console logger with secrets kept out: named secret properties redacted at any depth
 * (Nest's own `redact` option, same key list), secret-looking text scrubbed from messages and
 * stacks, and errors serialised without the failed statement's parameters or row detail.
 */
export class SafeConsoleLogger extends ConsoleLogger {
  constructor(opts: ConsoleLoggerOptions = {}) {
    super({ json: true, ...opts, redact: [...SECRET_KEYS] });
  }

  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
    params?: Record<string, unknown>,
  ): void {
    const safe = messages.map((m) => (typeof m === 'string' ? scrubText(m) : m instanceof Error ? m : redactSecrets(m, { scrub: true })));
    const stack = typeof errorStack === 'string' ? scrubText(errorStack) : errorStack;
    super.printMessages(safe, context, logLevel, writeStreamType, stack, params && (redactSecrets(params, { scrub: true }) as Record<string, unknown>));
  }

  protected override serializeError(error: Error): Record<string, unknown> {
    return serializeErrorForLog(error) as Record<string, unknown>;
  }
}

/** Nest's levels for LOG_LEVEL (pino's names); false = silent. */
export function nestLogLevels(level: AppConfig['logLevel']): LogLevel[] | false {
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

const REQUEST_HEADER_PATHS = ['authorization', 'cookie', 'x-api-key', 'x-shopify-access-token', 'proxy-authorization'];

/**
 * Fastify's pino options: the error serializer drops statement parameters and redacts secrets,
 * request URLs lose secret-looking query values, and every logged object is walked for secret
 * keys before it is written (pino `redact` covers the header paths that are always there).
 */
export function pinoOptions(level: string, stream?: { write(msg: string): void }): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: {
      paths: [...REQUEST_HEADER_PATHS.map((h) => `req.headers["${h}"]`), 'res.headers["set-cookie"]'],
      censor: REDACTED,
    },
    serializers: {
      err: (err: Error) => serializeErrorForLog(err) as { type: string; message: string; stack: string },
      req: (req: { method?: string; url?: string; host?: string; ip?: string; socket?: { remotePort?: number } }) => ({
        method: req.method,
        url: typeof req.url === 'string' ? scrubText(req.url) : req.url,
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
    formatters: {
      // Errors are left to the `err` serializer (which runs after this hook).
      log: (obj: Record<string, unknown>) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(obj)) {
          if (isSecretKey(k)) out[k] = REDACTED;
          else out[k] = v instanceof Error || k === 'req' || k === 'res' ? v : redactSecrets(v, { scrub: true });
        }
        return out;
      },
    },
  };
}

/**
 * TypeORM's logger: never writes a statement's parameters (SPEC §4), whatever `logging` says.
 * Failed statements are the caller's business (mapped or logged by the exception filter), so
 * they are only traced at debug level, with the SQL text and the error code.
 */
export class SafeTypeOrmLogger implements TypeOrmLogger {
  private readonly logger = new Logger('TypeORM');

  constructor(private readonly enabled = true) {}

  /** Statements are not traced one by one (the request log and slow-query warnings say enough). */
  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    if (!this.enabled) return;
    const e = error as { code?: unknown; message?: unknown };
    const what = typeof error === 'string' ? error : `${typeof e.code === 'string' ? `${e.code} ` : ''}${String(e.message)}`;
    this.logger.debug(`query failed: ${scrubText(what)} — ${scrubText(query.slice(0, 1000))}`);
  }

  logQuerySlow(time: number, query: string): void {
    if (this.enabled) this.logger.warn(`slow query (${time} ms): ${scrubText(query.slice(0, 1000))}`);
  }

  logSchemaBuild(message: string): void {
    if (this.enabled) this.logger.debug(scrubText(message));
  }

  logMigration(message: string): void {
    if (this.enabled) this.logger.log(scrubText(message));
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (!this.enabled) return;
    const text = typeof message === 'string' ? scrubText(message) : JSON.stringify(redactSecrets(message, { scrub: true }));
    if (level === 'warn') this.logger.warn(text);
    else this.logger.log(text);
  }
}
