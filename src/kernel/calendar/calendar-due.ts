import { addCalendarDays, addHours, type BusinessHours, type DueRule, type ShopClock } from '../time/business-clock.js';
import type { BusinessCalendar } from './business-calendar.js';
import { WEEKDAYS } from './calendar-rules.js';

/**
 * A machine's fixed due rule read on the merchant's business calendar (SPEC §4: one calendar
 * every deadline uses). The same rules as `computeDue` of business-clock.ts — which stays the
 * pure reference for a plain daily window — with holidays, make-up working days (调休) and
 * per-weekday windows:
 * - `businessHours`: N business hours on the calendar (nights, closed weekdays and holidays not counted);
 * - `cutoff`: [002] 16:00 the same local day, or the next day when reported at/after it (SPEC §8);
 * - `days`: the same wall time N days later; `callable` moves it out of the calendar's quiet hours;
 * - `hours`: plain elapsed time; `none`: no deadline.
 */
export function dueOnCalendar(rule: DueRule, from: Date, cal: BusinessCalendar): Date | null {
  switch (rule.kind) {
    case 'cutoff':
      return cal.cutoff1600(from, { at: rule.at ?? '16:00' });
    case 'businessHours':
      return cal.addBusinessHours(from, rule.hours);
    case 'hours':
      return addHours(from, rule.hours);
    case 'days': {
      const due = addCalendarDays(from, rule.days, cal.timezone);
      return rule.callable ? cal.nextCallableTime(due) : due;
    }
    case 'none':
      return null;
    default: {
      const never: never = rule;
      throw new Error(`Unknown due rule ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The calendar as the older single-window `ShopClock` (timezone, one daily window, quiet hours),
 * for code written against `TransitionContext.clock`. Approximate by nature: the widest window of
 * the open weekdays, no holidays; new code reads `ctx.calendar`.
 */
export function shopClockOf(cal: BusinessCalendar): ShopClock {
  const open = WEEKDAYS.map((d, i) => ({ day: i + 1, windows: cal.rules.weeklyHours[d] })).filter((w) => w.windows.length > 0);
  const starts = open.map((w) => w.windows[0].start).sort();
  // A window may end at 24:00 on the calendar; the older clock stops at 23:59.
  const ends = open.map((w) => w.windows[w.windows.length - 1].end).map((e) => (e === '24:00' ? '23:59' : e)).sort();
  const businessHours: BusinessHours = { start: starts[0], end: ends[ends.length - 1], days: open.map((w) => w.day) };
  return { timezone: cal.timezone, businessHours, quietHours: { ...cal.rules.quietHours } };
}
