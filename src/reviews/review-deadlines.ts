import type { BusinessCalendar } from '../kernel/calendar/business-calendar.js';
import type { ComputedDue, TransitionContext } from '../kernel/state-machine/machine.js';
import type { LogContactDto } from './dto/review-actions.dto.js';
import { loadReviewSettings } from './review-settings.js';
import { ContactOutcome } from './review-status.js';

/** The shop's business calendar for a transition (the reviews module binds CalendarService here). */
export type CalendarOf = (ctx: TransitionContext) => Promise<BusinessCalendar>;

let calendarOf: CalendarOf | null = null;

/**
 * The review machine is data declared once; its calendar deadlines need the kernel's
 * CalendarService, captured when the module registers the machine.
 */
export function bindReviewCalendar(fn: CalendarOf): void {
  calendarOf = fn;
}

function calendar(ctx: TransitionContext): Promise<BusinessCalendar> {
  if (!calendarOf) throw new Error('review deadlines: no calendar bound (ReviewsService binds it at registration)');
  return calendarOf(ctx);
}

/** Business hours staff have for the next step once the customer is reached (diagnose) or after a refusal (decide). */
export const STEP_BUSINESS_HOURS = 8;
/** A supervisor looks at an extortion case within this many business hours. */
export const ESCALATION_BUSINESS_HOURS = 4;

/** When the logged call was made: the input's `attemptedAt`, else the transition's instant. */
export function attemptedAtOf(ctx: TransitionContext): Date {
  const given = (ctx.input as LogContactDto).attemptedAt;
  return given ? new Date(given) : ctx.now;
}

/**
 * SPEC §9: after a `no_answer` the next attempt is due at the next time the calendar allows a
 * call — the retry delay later, moved out of quiet hours [000 不在客户休息时间打扰]. Holidays do not
 * block calls (docs/calendar.md), so an attempt may fall on one, never at night.
 */
export async function nextAttemptAt(ctx: TransitionContext): Promise<Date> {
  const [cal, settings] = await Promise.all([calendar(ctx), loadReviewSettings(ctx.manager, ctx.row.merchant_id)]);
  const after = new Date(attemptedAtOf(ctx).getTime() + settings.retryAfterMinutes * 60_000);
  return cal.nextCallableTime(after);
}

/** Deadline after a logged call: the next attempt (no answer), or a working day to go on (reached, refused). */
export const AFTER_CONTACT_DUE: ComputedDue = {
  kind: 'computed',
  note: `no_answer: the next callable time (quiet hours skipped) after the retry delay (default 120 min); reached / refused: ${STEP_BUSINESS_HOURS} business hours on the shop's calendar`,
  at: async (ctx) => {
    if ((ctx.input as LogContactDto).outcome === ContactOutcome.NoAnswer) return nextAttemptAt(ctx);
    return (await calendar(ctx)).addBusinessHours(attemptedAtOf(ctx), STEP_BUSINESS_HOURS);
  },
};

/** The remedy is offered within a working day of the diagnosis. */
export const OFFER_DUE: ComputedDue = {
  kind: 'computed',
  note: `${STEP_BUSINESS_HOURS} business hours on the shop's calendar to offer a remedy`,
  at: async (ctx) => (await calendar(ctx)).addBusinessHours(ctx.now, STEP_BUSINESS_HOURS),
};

/** [001 敲诈] an extortion case is in front of a supervisor soon. */
export const ESCALATION_DUE: ComputedDue = {
  kind: 'computed',
  note: `${ESCALATION_BUSINESS_HOURS} business hours on the shop's calendar for a supervisor's decision`,
  at: async (ctx) => (await calendar(ctx)).addBusinessHours(ctx.now, ESCALATION_BUSINESS_HOURS),
};
