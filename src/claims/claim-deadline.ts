import type { EntityManager } from 'typeorm';
import type { BusinessCalendar } from '../kernel/calendar/business-calendar.js';
import type { StateEntry } from '../kernel/calendar/sla-clock.js';
import type { TransitionContext } from '../kernel/state-machine/machine.js';
import { claimDueAt } from './claim.rules.js';
import type { ClaimStatus } from './claim-status.js';

/** Reads the merchant's business calendar in a shop's timezone (CalendarService.forMerchant). */
export type ClaimCalendarSource = (merchantId: string, timezone: string, manager: EntityManager) => Promise<BusinessCalendar>;

let calendarSource: ClaimCalendarSource | null = null;

/**
 * The machine's computed deadline needs the merchant's calendar, which lives in a service; the
 * claims module hands its reader over when it registers the machine (one per process: the
 * calendar is read through the transition's own manager, so any instance's reader is right).
 */
export function useClaimCalendar(source: ClaimCalendarSource): void {
  calendarSource = source;
}

/** The claim's status entries so far, oldest first; the creation counts from when the customer reported it. */
async function statusHistory(m: EntityManager, merchantId: string, claimId: string, reportedAt: Date): Promise<StateEntry[]> {
  const rows: Array<{ at: Date; from_status: string | null; to_status: string }> = await m.query(
    `SELECT at, from_status, to_status FROM timeline_events
      WHERE merchant_id = $1 AND subject_type = 'claim' AND subject_id = $2 AND to_status IS NOT NULL
        AND from_status IS DISTINCT FROM to_status
      ORDER BY id`,
    [merchantId, claimId],
  );
  return rows.map((r) => ({ state: r.to_status, enteredAt: r.from_status === null ? reportedAt : new Date(r.at) }));
}

/** SPEC §8 deadline of the step the claim is entering now (see claimDueAt). */
export async function claimDeadline(ctx: TransitionContext, entering: ClaimStatus): Promise<Date> {
  if (!calendarSource) throw new Error('claims: no calendar source registered (ClaimsService registers it at start)');
  const cal = await calendarSource(ctx.row.merchant_id, ctx.clock.timezone, ctx.manager);
  const reportedAt = new Date(ctx.row.reported_at as Date | string);
  const history = await statusHistory(ctx.manager, ctx.row.merchant_id, ctx.row.id, reportedAt);
  history.push({ state: entering, enteredAt: ctx.now });
  return claimDueAt(cal, history, reportedAt);
}
