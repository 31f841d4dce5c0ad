import { AGENT_PLUS } from '../kernel/auth/roles.js';
import { AssignCaseDto } from '../kernel/cases/case-action.dto.js';
import { RuleViolation } from '../kernel/errors/domain-errors.js';
import { defineMachine, type Guard, type OnDue, type TransitionContext } from '../kernel/state-machine/machine.js';
import { calendarDue } from '../complaints/calendar-dues.js';
import { DismissFollowUpDto, RecordFollowUpDto, RescheduleFollowUpDto } from './dto/follow-up.dto.js';
import { FOLLOW_UP_WITHIN_DAYS, FollowUpStatus } from './follow-up-status.js';

const S = FollowUpStatus;
const OVERDUE: OnDue = { mark: 'overdue' };
export const FOLLOW_UP_MACHINE = 'follow_up';

/** A call is rescheduled to a time still ahead. */
export function throwIfNotAhead(ctx: TransitionContext<RescheduleFollowUpDto>): void {
  if (new Date(ctx.input.at).getTime() <= ctx.now.getTime()) throw new RuleViolation(`cannot reschedule the call to ${ctx.input.at}: that time has passed`);
}

export const FOLLOW_UP_GUARDS: Record<string, Guard> = { throwIfNotAhead };

const recorded = (ctx: TransitionContext) => {
  const i = ctx.input as RecordFollowUpDto;
  return { result: i.result, comment: i.comment ?? null, recorded_at: ctx.now, recorded_by: ctx.caller.staffId ?? null };
};

/**
 * 回访 (SPEC §10) [000 处理后有回访; 必须保证在三天之内回访; 避免在客户休息时打扰客户]: one call per
 * resolution of a case of any module, due within 3 days at a time the customer may be called.
 * A record (not a case): it neither counts as an open case of its order nor gets a follow-up of
 * its own, but it is indexed so the worklist lists due calls and the due sweeper marks them overdue.
 */
export const followUpMachine = defineMachine<FollowUpStatus>({
  name: FOLLOW_UP_MACHINE,
  table: 'follow_ups',
  collection: 'follow-ups',
  description: 'Follow-up call (回访) after a case of any module was resolved; its result feeds the satisfaction reports',
  kind: 'record',
  indexed: true,
  states: {
    // Its deadline is set at creation on the business calendar (withinDaysCallable, 3 days).
    [S.Open]: { description: `to call within ${FOLLOW_UP_WITHIN_DAYS} days of the resolution, never in quiet hours [000]`, tags: ['open'], onDue: OVERDUE },
    [S.Done]: { description: 'called; the result is recorded', tags: ['closed'], terminal: true },
    [S.Dismissed]: { description: 'not called, with the reason', tags: ['closed'], terminal: true },
  },
  initial: [S.Open],
  actions: {
    assign: {
      description: 'give the call to a staff member of the merchant (null unassigns) [000 分配到各客服专员]; the status stays',
      from: [S.Open],
      to: 'stay',
      actors: AGENT_PLUS,
      guards: ['throwIfAssigneeNotStaff'],
      input: AssignCaseDto,
      set: (ctx) => ({ assignee_id: (ctx.input as AssignCaseDto).assigneeId ?? null }),
    },
    record: {
      description: 'the call\'s result: satisfied, neutral or unsatisfied; unsatisfied opens a complaint linked to the case (for a complaint awaiting its follow-up: the complaint\'s own follow-up step)',
      from: [S.Open],
      to: S.Done,
      actors: AGENT_PLUS,
      input: RecordFollowUpDto,
      set: recorded,
      effects: ['applyResult'],
    },
    'record-from-case': {
      description: '(the complaint\'s follow-up step was fired on the complaint) the same result recorded here',
      from: [S.Open],
      to: S.Done,
      actors: [...AGENT_PLUS, 'system'],
      internal: true,
      set: recorded,
    },
    reschedule: {
      description: 'call at the time agreed with the customer, moved out of quiet hours; the status stays',
      from: [S.Open],
      to: 'stay',
      actors: AGENT_PLUS,
      guards: ['throwIfNotAhead'],
      input: RescheduleFollowUpDto,
      due: calendarDue('the time agreed with the customer, or the end of the quiet hours it falls in', (cal, ctx) =>
        cal.nextCallableTime(new Date((ctx.input as RescheduleFollowUpDto).at)),
      ),
    },
    dismiss: {
      description: 'no call, with the reason',
      from: [S.Open],
      to: S.Dismissed,
      actors: AGENT_PLUS,
      input: DismissFollowUpDto,
      set: (ctx) => ({ dismiss_reason: (ctx.input as DismissFollowUpDto).reason }),
    },
  },
});
