import { createHash, timingSafeEqual } from 'node:crypto';
import { DateTime } from 'luxon';
import { InvalidInput } from '../../kernel/errors/domain-errors.js';
import { jsonNestsDeeperThan, MAX_WEBHOOK_JSON_DEPTH, tooDeepMessage } from '../../kernel/http/json-depth.js';
import { mapKuaidi100State } from '../../logistics/tracking-status.js';
import type { IncomingEvent } from '../../logistics/tracking.service.js';

/** The reply Kuaidi100 expects; anything else makes it push the same data again. */
export const KUAIDI100_OK = '{"result": true, "returnCode": "200", "message": "ok"}';

/** Kuaidi100 tracks Chinese carriers and writes times as Beijing wall-clock time. */
const KUAIDI100_ZONE = 'Asia/Shanghai';

/** `sign` = upper-case hex MD5 of `param` + the subscription salt, compared in constant time. */
export function kuaidi100Sign(param: string, salt: string): string {
  return createHash('md5').update(param + salt, 'utf8').digest('hex').toUpperCase();
}

export function verifyKuaidi100Sign(param: string, sign: string, salt: string): boolean {
  const given = sign.trim().toUpperCase();
  if (!/^[0-9A-F]{32}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(kuaidi100Sign(param, salt)));
}

export interface Kuaidi100Push {
  /** polling | shutdown | abort | updateall */
  status: string;
  message: string;
  /** Kuaidi100's carrier code (`comNew` when it corrected the carrier, else `lastResult.com`). */
  carrier: string;
  /** `autoCheck: "1"`: Kuaidi100 found the number under another carrier; `comOld` is the one subscribed with. */
  previousCarrier: string | null;
  /** The abort that announces a correction: Kuaidi100 keeps tracking under `comNew`, so nothing was given up. */
  resubscribed: boolean;
  trackingNo: string;
  /** lastResult.state as sent (kept as the raw code). */
  state: string | null;
  events: IncomingEvent[];
}

function parseTime(v: unknown): Date | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  for (const fmt of ['yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd HH:mm']) {
    const d = DateTime.fromFormat(t, fmt, { zone: KUAIDI100_ZONE });
    if (d.isValid) return d.toJSDate();
  }
  const iso = DateTime.fromISO(t, { zone: KUAIDI100_ZONE });
  return iso.isValid ? iso.toJSDate() : null;
}

// PostgreSQL text cannot hold NUL; a carrier never means one.
const text = (v: unknown): string | null => {
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return null;
  const s = v.replace(/\u0000/g, '').trim();
  return s || null;
};

/**
 * The `param` of a stored push body: the form Kuaidi100 posted (`param=…&sign=…`), or `param`
 * itself when no raw body was available.
 */
export function kuaidi100ParamOf(raw: Buffer): string {
  const body = raw.toString('utf8');
  if (body.trimStart().startsWith('{')) return body;
  const param = new URLSearchParams(body).get('param');
  if (param === null) throw new InvalidInput('The stored Kuaidi100 push has no param field');
  return param;
}

/**
 * Parses the `param` JSON `{status, message, lastResult: {state, ischeck, com, nu, data: [{context, time, ftime}]}}`.
 * The push's `state` describes the parcel as of its newest event, so that event carries it; an
 * older push arriving late therefore never outranks newer events (see TrackingService).
 */
export function parseKuaidi100Param(param: string): Kuaidi100Push {
  if (jsonNestsDeeperThan(param, MAX_WEBHOOK_JSON_DEPTH)) throw new InvalidInput(`param: ${tooDeepMessage(MAX_WEBHOOK_JSON_DEPTH)}`);
  let body: unknown;
  try {
    body = JSON.parse(param);
  } catch {
    throw new InvalidInput('param is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidInput('param must be a JSON object');
  const b = body as Record<string, unknown>;
  const last = (typeof b.lastResult === 'object' && b.lastResult !== null ? b.lastResult : {}) as Record<string, unknown>;
  // Kuaidi100's carrier corrections: pushes under the corrected code carry autoCheck "1",
  // comOld and comNew; the notice that it re-subscribed under the right code is an abort with
  // autoCheck "0", no comOld and comNew set (lastResult.com still the old code).
  const comNew = text(b.comNew);
  const com = text(last.com);
  const corrected = text(b.autoCheck) === '1' && !!comNew;
  const resubscribed = !corrected && text(b.status) === 'abort' && !!comNew && comNew !== com;
  const carrier = (corrected || resubscribed ? comNew : null) ?? com ?? comNew ?? text(b.comOld);
  const previousCarrier = corrected ? text(b.comOld) : resubscribed ? (text(b.comOld) ?? com) : null;
  const trackingNo = text(last.nu);
  if (!carrier || !trackingNo) throw new InvalidInput('param.lastResult must name the carrier (com) and tracking number (nu)');
  const state = text(last.state);
  const data = Array.isArray(last.data) ? last.data : [];
  const events: IncomingEvent[] = [];
  for (const raw of data.slice(0, 500)) {
    if (typeof raw !== 'object' || raw === null) continue;
    const e = raw as Record<string, unknown>;
    const at = parseTime(e.time) ?? parseTime(e.ftime);
    const description = text(e.context);
    if (!at || !description) continue;
    events.push({ at, description, location: text(e.location) ?? text(e.areaName), status: null, rawCode: null });
  }
  if (events.length && state !== null) {
    const newest = events.reduce((a, e) => (e.at.getTime() > a.at.getTime() ? e : a), events[0]);
    newest.status = mapKuaidi100State(state);
    newest.rawCode = state;
  }
  return { status: text(b.status) ?? 'polling', message: text(b.message) ?? text(last.message) ?? '', carrier, previousCarrier, resubscribed, trackingNo, state, events };
}
