import multipart from '@fastify/multipart';
import { applyDecorators, createParamDecorator, ExecutionContext, UnsupportedMediaTypeException } from '@nestjs/common';
import { type NestFastifyApplication, RouteConfig } from '@nestjs/platform-fastify';
import { ApiBody, ApiConsumes, ApiCreatedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainError, InvalidInput, RuleViolation } from '../errors/domain-errors.js';
import { AttachmentKind, AttachmentMime, IMAGE_MIMES, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_CASE } from './attachment-kind.js';
import { AttachmentUploadResponseDto } from './dto/attachment.dto.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by @EvidenceUpload: only such routes take multipart/form-data. */
    acceptsMultipart?: boolean;
  }
}

/** Busboy limits of one upload request. Per-file size is checked by the service from `truncated`. */
export const UPLOAD_LIMITS = {
  fileSize: MAX_ATTACHMENT_BYTES,
  // One more than a case may hold, so the service's count rule answers (422) before busboy's limit.
  files: MAX_ATTACHMENTS_PER_CASE + 1,
  fields: 5,
  fieldSize: 1024,
  fieldNameSize: 100,
  parts: MAX_ATTACHMENTS_PER_CASE + 6,
  headerPairs: 20,
};

/**
 * Registers @fastify/multipart, and keeps every route not marked with @EvidenceUpload refusing
 * multipart/form-data with the same 415 as before (the admin API is JSON): the plugin's parser
 * is global and would otherwise hand those routes an empty body.
 */
export async function registerMultipart(app: NestFastifyApplication): Promise<void> {
  await app.register(multipart, { limits: UPLOAD_LIMITS, throwFileSizeLimit: false });
  const fastify = app.getHttpAdapter().getInstance();
  const isMultipart = (req: FastifyRequest) => /^\s*multipart\//i.test(req.headers['content-type'] ?? '');
  fastify.addHook('onRequest', async (req) => {
    if (!isMultipart(req)) return;
    // Unknown routes keep their 404.
    if (req.routeOptions.url === undefined || req.routeOptions.config.acceptsMultipart === true) return;
    throw new UnsupportedMediaTypeException('Content-Type multipart/form-data is not supported; send application/json');
  });
  // Whatever answered before the upload was read to its end (a refused file, a missing case, the
  // 415 above), the client still gets the response rather than a reset connection.
  fastify.addHook('onSend', async (req) => {
    if (isMultipart(req)) drainRequest(req);
  });
}

export interface EvidenceUploadDoc {
  /** Kinds a file may be sent under (its form field name). */
  kinds?: readonly AttachmentKind[];
  mimes?: readonly AttachmentMime[];
}

/**
 * Marks a route as a multipart upload of case evidence and documents it. A module adds
 * `POST /api/v1/<module>/{id}/evidence` with this, `@MultipartRequest()` and one call to
 * `AttachmentsService.saveFromMultipart`.
 */
export function EvidenceUpload(doc: EvidenceUploadDoc = {}): MethodDecorator {
  const kinds = doc.kinds ?? [];
  const mimes = doc.mimes ?? IMAGE_MIMES;
  const files = { type: 'array', items: { type: 'string', format: 'binary' } };
  return applyDecorators(
    RouteConfig({ acceptsMultipart: true }),
    ApiConsumes('multipart/form-data'),
    ApiBody({
      description:
        `multipart/form-data with one or more files (${mimes.join(', ')}, judged by content; at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB each, ` +
        `${MAX_ATTACHMENTS_PER_CASE} per case). Send a file as \`file\`, or under the name of its kind${kinds.length ? ` (${kinds.join(', ')})` : ''}.`,
      schema: { type: 'object', properties: Object.fromEntries([['file', files], ...kinds.map((k) => [k, files])]) },
    }),
    ApiCreatedResponse({ type: AttachmentUploadResponseDto }),
  );
}

/** The Fastify request of an @EvidenceUpload route, to hand to `saveFromMultipart`. */
export const MultipartRequest = createParamDecorator((_: unknown, ctx: ExecutionContext): FastifyRequest => ctx.switchToHttp().getRequest<FastifyRequest>());

/** Errors of busboy and @fastify/multipart as client errors; our own and disk errors pass through. */
export function toUploadError(err: unknown): unknown {
  if (err instanceof DomainError) return err;
  const e = err as { code?: unknown; statusCode?: unknown; syscall?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object' || e.syscall !== undefined) return err;
  const message = typeof e.message === 'string' ? e.message : 'unreadable multipart body';
  switch (e.code) {
    case 'FST_FILES_LIMIT':
      return new RuleViolation(`A case holds at most ${MAX_ATTACHMENTS_PER_CASE} attachments; this upload has more files than that`);
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new InvalidInput(`Too many form fields: send only files (as "file" or under their kind)`);
    case 'FST_PROTO_VIOLATION':
      return new InvalidInput('A form field name is not allowed');
    default:
      return new InvalidInput(`Malformed multipart body: ${message}`);
  }
}

/**
 * Reads and discards what the client is still sending after an upload was refused, so it gets the
 * error response instead of a reset connection. Bounded: past `maxBytes` the connection is dropped.
 */
export function drainRequest(req: FastifyRequest, maxBytes = MAX_ATTACHMENT_BYTES * 2): void {
  const raw = req.raw;
  raw.unpipe();
  if (raw.readableEnded || raw.destroyed) return;
  let seen = 0;
  raw.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > maxBytes) raw.destroy();
  });
  raw.resume();
}
