import { addHours, type DueRule } from '../time/business-clock.js';
import type { BusinessCalendar } from './business-calendar.js';

/**
 * The deadline a step had when the case started waiting on the customer (SPEC §4: a step that
 * waits on the customer pauses its SLA clock). Kept on the case index row while the case waits.
 */
export interface SlaPause {
  /** The open state the case left for a `waiting_customer` state. */
  state: string;
  /** Its deadline then. */
  dueAt: Date;
  /** When it started waiting. */
  pausedAt: Date;
}

/**
 * The deadline of a step the case re-enters after waiting on the customer: the budget it had
 * left when it started waiting, counted again from `now` — business time for `businessHours`,
 * elapsed time for `hours` and `days` (moved out of quiet hours when `callable`). A deadline
 * already missed when the wait began stays as it was: waiting does not forgive lateness.
 *
 * `undefined` when the rule is not a budget and restarts instead: a `cutoff` counts from the
 * resume (the claim's 16:00 clock restarts at the photo upload, SPEC §8), `none` clears it.
 */
export function resumedDue(rule: DueRule, pause: Pick<SlaPause, 'dueAt' | 'pausedAt'>, now: Date, cal: BusinessCalendar): Date | undefined {
  const { dueAt, pausedAt } = pause;
  if (rule.kind === 'cutoff' || rule.kind === 'none') return undefined;
  if (dueAt.getTime() <= pausedAt.getTime()) return dueAt;
  switch (rule.kind) {
    case 'businessHours':
      return new Date(cal.addBusinessMs(now.getTime(), cal.businessMsBetween(pausedAt, dueAt)));
    case 'hours':
      return addHours(now, (dueAt.getTime() - pausedAt.getTime()) / 3_600_000);
    case 'days': {
      const due = new Date(now.getTime() + (dueAt.getTime() - pausedAt.getTime()));
      return rule.callable ? cal.nextCallableTime(due) : due;
    }
    default: {
      const never: never = rule;
      throw new Error(`Unknown due rule ${JSON.stringify(never)}`);
    }
  }
}

/** The stored form (case_index.sla_paused) and back. */
export function slaPauseToJson(p: SlaPause): { state: string; dueAt: string; pausedAt: string } {
  return { state: p.state, dueAt: p.dueAt.toISOString(), pausedAt: p.pausedAt.toISOString() };
}

export function slaPauseFromJson(v: unknown): SlaPause | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const dueAt = new Date(String(o.dueAt));
  const pausedAt = new Date(String(o.pausedAt));
  if (typeof o.state !== 'string' || Number.isNaN(dueAt.getTime()) || Number.isNaN(pausedAt.getTime())) return null;
  return { state: o.state, dueAt, pausedAt };
}
