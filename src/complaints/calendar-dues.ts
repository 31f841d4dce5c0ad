import type { BusinessCalendar } from '../kernel/calendar/business-calendar.js';
import type { CalendarService } from '../kernel/calendar/calendar.service.js';
import type { ComputedDue, TransitionContext } from '../kernel/state-machine/machine.js';

/**
 * Machines are data, declared before Nest builds any service; their deadlines on the business
 * calendar (holidays, 调休, quiet hours) read it through the CalendarService their module hands
 * over when it registers them. Every read goes through the transition's own manager.
 */
let calendars: CalendarService | null = null;

export function useCalendarService(service: CalendarService): void {
  calendars = service;
}

/** The merchant's calendar in the case's shop timezone. */
export function calendarOf(ctx: TransitionContext): Promise<BusinessCalendar> {
  if (!calendars) throw new Error('calendar deadlines need the CalendarService: register the machine through its module');
  return calendars.forMerchant(ctx.row.merchant_id, ctx.clock.timezone, ctx.manager);
}

/** A deadline computed on the business calendar (see ComputedDue). */
export function calendarDue(note: string, at: (cal: BusinessCalendar, ctx: TransitionContext) => Date | null): ComputedDue {
  return { kind: 'computed', note, at: async (ctx) => at(await calendarOf(ctx), ctx) };
}
