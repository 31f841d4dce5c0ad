import { DateTime, IANAZone } from 'luxon';
import { parseHHmm } from '../kernel/time/business-clock.js';

/** [002] 财务确认: finance confirms paid orders in batches around 12:00 and 16:00 shop time. */
export const FINANCE_BATCH_TIMES: readonly string[] = ['12:00', '16:00'];

/** Finance does not sit on a holiday: a batch searches this many days ahead at most (春节 is nine). */
const MAX_DAYS = 2 * 366;

/**
 * The next finance batch strictly after `from`, in the shop's zone: an order audited at 11:30 is
 * due at 12:00, at 12:00 or 15:59 at 16:00, at 16:00 or later at 12:00 the next day. With
 * `isWorkingDay` (the business calendar's, on local yyyy-MM-dd dates) batches fall on working
 * days only: holidays are skipped, 调休 make-up days count (SPEC §4).
 */
export function nextFinanceBatch(from: Date, zone: string, times: readonly string[] = FINANCE_BATCH_TIMES, isWorkingDay?: (localDate: string) => boolean): Date {
  if (!(from instanceof Date) || Number.isNaN(from.getTime())) throw new Error('Invalid Date');
  if (!IANAZone.isValidZone(zone)) throw new Error(`Invalid IANA time zone "${String(zone)}"`);
  if (!times.length) throw new Error('At least one batch time is needed');
  const slots = times.map(parseHHmm).sort((a, b) => a.hour * 60 + a.minute - (b.hour * 60 + b.minute));
  const local = DateTime.fromJSDate(from).setZone(zone);
  for (let day = 0; day < (isWorkingDay ? MAX_DAYS : 3); day++) {
    const base = local.startOf('day').plus({ days: day });
    if (isWorkingDay && !isWorkingDay(base.toISODate()!)) continue;
    for (const s of slots) {
      const at = base.set({ hour: s.hour, minute: s.minute, second: 0, millisecond: 0 });
      if (at.toMillis() > from.getTime()) return at.toJSDate();
    }
  }
  throw new Error('nextFinanceBatch did not find a batch');
}
