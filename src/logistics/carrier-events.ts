import { InvalidInput } from '../kernel/errors/domain-errors.js';
import { isTrackingStatus, TRACKING_STATUSES } from './tracking-status.js';
import type { IncomingEvent } from './tracking.service.js';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
export const MAX_EVENTS = 500;

type FieldError = { field: string; errors: string[] };

/** PostgreSQL text cannot hold NUL; a carrier never means one. */
export const withoutNul = (s: string) => s.replace(/\u0000/g, '');

/**
 * Events in our generic carrier format (push `data.events` and the polled query API):
 * `[{time: ISO 8601 with offset, description, location?, status?: normalised, code?: raw carrier code}]`.
 */
export function parseCarrierEvents(value: unknown, path = 'events'): IncomingEvent[] {
  if (!Array.isArray(value)) throw new InvalidInput('Invalid tracking events', [{ field: path, errors: [`${path} must be an array`] }]);
  if (value.length > MAX_EVENTS) throw new InvalidInput('Invalid tracking events', [{ field: path, errors: [`at most ${MAX_EVENTS} events`] }]);
  const problems: FieldError[] = [];
  const out: IncomingEvent[] = [];
  value.forEach((raw, i) => {
    const f = `${path}.${i}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push({ field: f, errors: ['event must be an object'] });
      return;
    }
    const e = raw as Record<string, unknown>;
    const errs: FieldError[] = [];
    if (typeof e.time !== 'string' || !ISO_WITH_OFFSET.test(e.time) || Number.isNaN(Date.parse(e.time))) errs.push({ field: `${f}.time`, errors: ['time must be ISO 8601 with an offset'] });
    if (typeof e.description !== 'string' || !e.description.trim() || e.description.length > 2000) errs.push({ field: `${f}.description`, errors: ['description must be a non-empty string of at most 2000 characters'] });
    if (e.location !== undefined && e.location !== null && (typeof e.location !== 'string' || e.location.length > 500)) errs.push({ field: `${f}.location`, errors: ['location must be a string'] });
    if (e.status !== undefined && e.status !== null && !isTrackingStatus(e.status)) errs.push({ field: `${f}.status`, errors: [`status must be one of ${TRACKING_STATUSES.join(', ')}`] });
    if (e.code !== undefined && e.code !== null && !(typeof e.code === 'string' || typeof e.code === 'number') ) errs.push({ field: `${f}.code`, errors: ['code must be a string'] });
    if (errs.length) {
      problems.push(...errs);
      return;
    }
    out.push({
      at: new Date(e.time as string),
      description: withoutNul(e.description as string).trim() || '(no text)',
      location: typeof e.location === 'string' && withoutNul(e.location).trim() ? withoutNul(e.location).trim() : null,
      status: isTrackingStatus(e.status) ? e.status : null,
      rawCode: e.code === undefined || e.code === null ? null : withoutNul(String(e.code)).slice(0, 50) || null,
    });
  });
  if (problems.length) throw new InvalidInput('Invalid tracking events', problems);
  return out;
}
