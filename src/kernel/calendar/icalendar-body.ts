import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const ICALENDAR_TYPE = 'text/calendar';
const BODY_TYPE_KEY = 'asoBodyType';

/** Marks the one route whose body is an iCalendar file instead of JSON (SPEC §4 content types). */
export const ICalendarBody = () => RouteConfig({ [BODY_TYPE_KEY]: ICALENDAR_TYPE });

function routeBodyType(req: FastifyRequest): string | undefined {
  return (req.routeOptions?.config as unknown as Record<string, unknown> | undefined)?.[BODY_TYPE_KEY] as string | undefined;
}

function unsupported(expected: string): Error {
  return Object.assign(new Error(`Unsupported content type; send ${expected}`), { statusCode: 415, code: 'ASO_UNSUPPORTED_MEDIA_TYPE' });
}

/**
 * text/calendar is parsed as text for routes marked with `ICalendarBody` only: every other admin
 * route keeps answering 415 to it, and a marked route answers 415 to anything but text/calendar
 * (checked before parsing, so a JSON body there is not parsed at all).
 */
export function registerICalendarBody(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(ICALENDAR_TYPE, { parseAs: 'string' }, (req, body, done) => {
    if (routeBodyType(req) === ICALENDAR_TYPE) done(null, body);
    else done(unsupported('application/json'), undefined);
  });
  fastify.addHook('preParsing', async (req, _reply, payload) => {
    const wanted = routeBodyType(req);
    if (!wanted) return payload;
    const given = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (given !== wanted) throw unsupported(wanted);
    return payload;
  });
}
