import { AGENT_PLUS, SUPERVISOR_PLUS } from '../kernel/auth/roles.js';
import { RuleViolation } from '../kernel/errors/domain-errors.js';
import { type CaseRow, defineMachine, type Guard, type OnDue, type TransitionContext } from '../kernel/state-machine/machine.js';
import { FOLLOW_UP_WITHIN_DAYS, FollowUpResult } from '../follow-ups/follow-up-status.js';
import { calendarDue } from './calendar-dues.js';
import {
  ApprovePlanDto, AssessComplaintDto, AssignDepartmentDto, CloseComplaintDto, ComplaintFollowUpDto, ConfirmComplaintDto, ImplementPlanDto, MarkSeriousDto,
  ProposePlanDto, RejectPlanDto,
} from './dto/complaint-actions.dto.js';
import { ComplaintSeverity, ComplaintStatus, EXPLAINED_CLOSE_AFTER_DAYS, FIRST_RESPONSE_BUSINESS_HOURS } from './complaint-status.js';

const S = ComplaintStatus;
const OVERDUE: OnDue = { mark: 'overdue' };
export const COMPLAINT_MACHINE = 'complaint';

/** [000 step 4] the plan comes from the department that investigated. */
export function hasDepartment(row: CaseRow): string | null {
  return row.department ? null : 'assign the responsible department first (assign-department): the plan comes from the department that investigated [000]';
}

export function isNotSerious(row: CaseRow): string | null {
  return row.severity === ComplaintSeverity.Serious ? 'the complaint is already serious' : null;
}

/** 责任人 is an active staff member of the complaint's merchant (another merchant's id is just "not staff"). */
export async function throwIfResponsibleNotStaff(ctx: TransitionContext<AssignDepartmentDto>): Promise<void> {
  const id = ctx.input.responsibleStaffId;
  if (id === null || id === undefined) return;
  const rows: unknown[] = await ctx.manager.query('SELECT 1 FROM staff WHERE id = $1 AND merchant_id = $2 AND active', [id, ctx.row.merchant_id]);
  if (!rows.length) throw new RuleViolation(`responsible person ${id} is not an active staff member of this merchant`, { responsibleStaffId: id });
}

/** The cost of the case only grows, in integer minor units. */
export function throwIfBadCost(ctx: TransitionContext<ImplementPlanDto>): void {
  const total = Number(ctx.row.cost) + actualCostOf(ctx);
  if (!Number.isSafeInteger(total)) throw new RuleViolation(`cost ${total} is not a valid amount in minor units`);
}

export function actualCostOf(ctx: TransitionContext<ImplementPlanDto>): number {
  return ctx.input.actualCost ?? Number(ctx.row.plan_cost_estimate ?? 0);
}

/** The guards the complaint machine names, as the complaints module registers them. */
export const COMPLAINT_GUARDS: Record<string, Guard> = { throwIfResponsibleNotStaff, throwIfBadCost };

/**
 * 投诉 (SPEC §10), the six steps of [000] 投诉处理流程: 投诉受理 → 投诉判断 → 展开调查 (责任部门,
 * 责任人) → 提出处理方案 (主管批示) → 实施处理方案 (顾客签字确认) → 回访 within three days.
 * SPEC's `assign` step is `assign-department` here: `assign` is the kernel's assignee action.
 */
export const complaintMachine = defineMachine<ComplaintStatus>({
  name: COMPLAINT_MACHINE,
  table: 'complaints',
  collection: 'complaints',
  description: 'Customer complaint (投诉): assess, investigate with the responsible department, a supervisor-approved plan, the customer\'s acceptance and a follow-up call [000]',
  kind: 'case',
  states: {
    [S.Received]: {
      description: `registered (投诉受理); first response due ${FIRST_RESPONSE_BUSINESS_HOURS} business hours after it was reported, on the shop's calendar [002]`,
      tags: ['open'],
      // Documents the rule; the service computes it on the business calendar (holidays, 调休) at registration.
      due: { kind: 'businessHours', hours: FIRST_RESPONSE_BUSINESS_HOURS },
      onDue: OVERDUE,
    },
    [S.Investigating]: { description: 'founded: the responsible department investigates and proposes a plan (展开调查)', tags: ['open'] },
    [S.Explained]: {
      description: `unfounded: the customer got a polite explanation; closes when they accept it, or by itself after ${EXPLAINED_CLOSE_AFTER_DAYS} days without an answer`,
      tags: ['waiting_customer'],
      due: { kind: 'days', days: EXPLAINED_CLOSE_AFTER_DAYS },
      onDue: { action: 'close', note: `no answer to the explanation within ${EXPLAINED_CLOSE_AFTER_DAYS} days` },
    },
    [S.PlanProposed]: { description: 'a remedy plan waits for a supervisor (主管批示)', tags: ['open'] },
    [S.Approved]: { description: 'the plan is approved: carry it out', tags: ['open'] },
    [S.Implemented]: { description: 'carried out; waiting for the customer to accept it (顾客签字确认)', tags: ['waiting_customer'] },
    [S.AwaitingFollowUp]: {
      description: `the customer accepted; follow-up call due within ${FOLLOW_UP_WITHIN_DAYS} days at a time they may be called [000 三天之内回访]`,
      tags: ['open', 'resolved'],
      onDue: OVERDUE,
    },
    [S.Closed]: { description: 'done', tags: ['closed', 'resolved'], terminal: true },
  },
  initial: [S.Received],
  actions: {
    assess: {
      description: '投诉判断: founded → investigating; unfounded → explained (the explanation is recorded and given to the customer). The first response',
      from: [S.Received],
      to: { targets: [S.Investigating, S.Explained], resolve: (ctx) => ((ctx.input as AssessComplaintDto).founded ? S.Investigating : S.Explained) },
      actors: AGENT_PLUS,
      input: AssessComplaintDto,
      set: (ctx) => {
        const i = ctx.input as AssessComplaintDto;
        return { founded: i.founded, assessment: i.explanation, assessed_by: ctx.caller.staffId ?? null, first_response_at: ctx.now };
      },
    },
    'assign-department': {
      description: '确定责任部门和责任人: the department (service, warehouse, logistics, product, other) and the person responsible; the status stays',
      from: [S.Investigating],
      to: 'stay',
      actors: AGENT_PLUS,
      guards: ['throwIfResponsibleNotStaff'],
      input: AssignDepartmentDto,
      set: (ctx) => {
        const i = ctx.input as AssignDepartmentDto;
        return { department: i.department, responsible_staff_id: i.responsibleStaffId === undefined ? (ctx.row.responsible_staff_id ?? null) : i.responsibleStaffId };
      },
    },
    propose: {
      description: '提出处理方案: the remedy plan and what it will cost; a supervisor approves it',
      from: [S.Investigating],
      to: S.PlanProposed,
      actors: AGENT_PLUS,
      when: [hasDepartment],
      input: ProposePlanDto,
      set: (ctx) => {
        const i = ctx.input as ProposePlanDto;
        return { plan: i.plan, plan_cost_estimate: i.costEstimate, proposed_by: ctx.caller.staffId ?? null, plan_rejection_reason: null };
      },
    },
    approve: {
      description: 'a supervisor approves the plan (主管批示)',
      from: [S.PlanProposed],
      to: S.Approved,
      actors: SUPERVISOR_PLUS,
      input: ApprovePlanDto,
      set: (ctx) => ({ approved_by: ctx.caller.staffId ?? null, approved_at: ctx.now }),
    },
    'reject-plan': {
      description: 'a supervisor sends the plan back to the investigation, with the reason',
      from: [S.PlanProposed],
      to: S.Investigating,
      actors: SUPERVISOR_PLUS,
      input: RejectPlanDto,
      set: (ctx) => ({ plan_rejection_reason: (ctx.input as RejectPlanDto).reason }),
    },
    implement: {
      description: '实施处理方案: carried out; its actual cost (default the estimate) adds to the case cost',
      from: [S.Approved],
      to: S.Implemented,
      actors: AGENT_PLUS,
      guards: ['throwIfBadCost'],
      input: ImplementPlanDto,
      set: (ctx) => ({ implemented_at: ctx.now, cost: Number(ctx.row.cost) + actualCostOf(ctx as TransitionContext<ImplementPlanDto>) }),
    },
    confirm: {
      description: 'the customer accepted the remedy (signed or confirmed); the follow-up call is due within 3 days',
      from: [S.Implemented],
      to: S.AwaitingFollowUp,
      actors: AGENT_PLUS,
      input: ConfirmComplaintDto,
      due: calendarDue(`within ${FOLLOW_UP_WITHIN_DAYS} days of the confirmation, never in quiet hours [000 三天之内回访, 避免在客户休息时打扰客户]`, (cal, ctx) =>
        cal.withinDaysCallable(ctx.now, FOLLOW_UP_WITHIN_DAYS),
      ),
      set: (ctx) => ({ acceptance: (ctx.input as ConfirmComplaintDto).acceptance, confirmed_at: ctx.now }),
    },
    'follow-up': {
      description: '回访: satisfied or neutral closes the complaint; unsatisfied reopens the investigation',
      from: [S.AwaitingFollowUp],
      to: {
        targets: [S.Closed, S.Investigating],
        resolve: (ctx) => ((ctx.input as ComplaintFollowUpDto).result === FollowUpResult.Unsatisfied ? S.Investigating : S.Closed),
      },
      actors: AGENT_PLUS,
      input: ComplaintFollowUpDto,
      set: (ctx) => {
        const i = ctx.input as ComplaintFollowUpDto;
        const reopened = i.result === FollowUpResult.Unsatisfied;
        return {
          follow_up_result: i.result,
          follow_up_comment: i.comment ?? null,
          followed_up_at: ctx.now,
          reopen_count: Number(ctx.row.reopen_count ?? 0) + (reopened ? 1 : 0),
        };
      },
    },
    close: {
      description: 'close an explained (unfounded) complaint: the customer accepted the explanation (by hand, or the timer after 3 days)',
      from: [S.Explained],
      to: S.Closed,
      actors: [...AGENT_PLUS, 'system'],
      input: CloseComplaintDto,
    },
    'mark-serious': {
      description: '情节严重: raise the complaint to serious; supervisors are told at once (event complaint.serious); the status stays',
      from: [S.Received, S.Investigating, S.Explained, S.PlanProposed, S.Approved, S.Implemented, S.AwaitingFollowUp],
      to: 'stay',
      actors: AGENT_PLUS,
      when: [isNotSerious],
      input: MarkSeriousDto,
      set: () => ({ severity: ComplaintSeverity.Serious }),
      effects: ['announceSerious'],
    },
  },
});
