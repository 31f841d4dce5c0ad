import type { Server } from 'node:http';
import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { InvalidInput } from '../errors/domain-errors.js';
import { jsonNestsDeeperThan, MAX_JSON_DEPTH, tooDeepMessage } from './json-depth.js';
import { findUnstorableText } from './unstorable-text.js';

/** Inbound webhooks and carrier pushes: signed over their raw bytes, whatever type they declare. */
export const WEBHOOK_PATH_PREFIX = '/webhooks/';
export const ADMIN_MEDIA_TYPE = 'application/json';

const isWebhook = (req: { url: string }) => req.url.startsWith(WEBHOOK_PATH_PREFIX);

function mediaType(header: string | undefined): string | undefined {
  return header?.split(';', 1)[0].trim().toLowerCase() || undefined;
}

/**
 * What every request goes through before a controller sees it (SPEC §4):
 * - the admin API takes `application/json` only; any other body, or a body without a type, is 415
 *   naming the expected type;
 * - JSON nested deeper than MAX_JSON_DEPTH is 400 before it is parsed;
 * - webhooks (/webhooks/*) get their raw bytes in `rawBody` and no parsed body, whatever
 *   Content-Type the sender set (or none): platforms and proxies are not consistent about it;
 * - NUL and unpaired surrogates in any string of the body, query string or path are 400 naming the field.
 * Registered before `app.init()`, which would otherwise add Nest's own JSON and form parsers.
 */
export function registerRequestEdge(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');

  // One parser for every type: Fastify's own (JSON, text/plain) would bypass the rules above.
  fastify.removeAllContentTypeParsers();
  app.useBodyParser<Server>('*', { bodyLimit: fastify.initialConfig.bodyLimit }, (req, body, done) => {
    if (isWebhook(req)) return done(null, undefined);
    const type = mediaType(req.headers['content-type']);
    if (type !== ADMIN_MEDIA_TYPE) {
      const what = type ? `Content-Type ${type} is not supported` : 'A request body needs a Content-Type';
      return done(new UnsupportedMediaTypeException(`${what}; send ${ADMIN_MEDIA_TYPE}`), undefined);
    }
    const text = body.toString('utf8');
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) return done(new InvalidInput(tooDeepMessage(MAX_JSON_DEPTH)), undefined);
    parseJson(req, text, done);
  });

  // A Content-Type Fastify cannot even parse ("json", "") would be refused before any parser runs;
  // for webhooks the declared type means nothing, so it is set aside and the bytes read as they are.
  fastify.addHook('onRequest', async (req) => {
    if (isWebhook(req) && req.headers['content-type'] !== undefined) delete req.headers['content-type'];
  });

  fastify.addHook('preValidation', async (req) => {
    for (const [where, value] of [['body', req.body], ['query', req.query], ['path', req.params]] as const) {
      const bad = findUnstorableText(value);
      if (bad) {
        const field = bad.field || where;
        throw new InvalidInput('Validation failed', [{ field, errors: [`${field} (${where}) must not contain ${bad.problem}`] }]);
      }
    }
  });
}
