import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from './domain-errors.js';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/** Maps any thrown value to the JSON error shape of SPEC §4. The one place that knows HTTP. */
export function toErrorBody(exception: unknown): ErrorBody {
  // The Fastify adapter wraps Fastify's own 4xx errors in an HttpException; their code says more.
  const cause: unknown = exception instanceof HttpException ? exception.cause : undefined;
  if (cause instanceof Error && (cause as { code?: unknown }).code !== undefined && (cause as { statusCode?: unknown }).statusCode === (exception as HttpException).getStatus()) {
    exception = cause;
  }
  if (exception instanceof DomainError) {
    return { statusCode: exception.status, error: reasonPhrase(exception.status), message: exception.message, ...(exception.details !== undefined ? { details: exception.details } : {}) };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const res = exception.getResponse();
    let message = exception.message;
    let details: unknown;
    if (typeof res === 'object' && res !== null) {
      const r = res as { message?: unknown; details?: unknown };
      if (Array.isArray(r.message)) {
        details = r.message;
        message = 'Validation failed';
      } else if (typeof r.message === 'string') message = r.message;
      if (r.details !== undefined) details = r.details;
    }
    return { statusCode: status, error: reasonPhrase(status), message, ...(details !== undefined ? { details } : {}) };
  }
  // Errors raised by Fastify itself (body parsing, size limit, content type, rate limit)
  const e = exception as { statusCode?: unknown; code?: unknown; message?: unknown } | null;
  if (e && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const status = e.statusCode;
    let message = typeof e.message === 'string' ? e.message : reasonPhrase(status);
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') message = 'Request body is larger than the allowed limit';
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') message = 'Unsupported content type; send application/json';
    if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') message = 'Body is empty but content-type is application/json';
    if (exception instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') message = `Malformed JSON body: ${message}`;
    return { statusCode: status, error: reasonPhrase(status), message };
  }
  if (exception instanceof SyntaxError) {
    return { statusCode: 400, error: reasonPhrase(400), message: `Malformed JSON body: ${exception.message}` };
  }
  return { statusCode: 500, error: reasonPhrase(500), message: 'Internal server error' };
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const body = toErrorBody(exception);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (body.statusCode >= HttpStatus.INTERNAL_SERVER_ERROR) {
      // Through the request's own logger (pino, JSON) so the line carries the request id.
      const req = host.switchToHttp().getRequest<FastifyRequest | undefined>();
      if (req?.log) req.log.error({ err: exception }, 'unhandled error');
      else this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (exception instanceof DomainError && exception.retryAfterSeconds !== undefined) void reply.header('retry-after', String(Math.max(1, Math.ceil(exception.retryAfterSeconds))));
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
