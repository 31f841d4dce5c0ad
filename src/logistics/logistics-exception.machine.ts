import { AGENT_PLUS, WAREHOUSE_PLUS } from '../kernel/auth/roles.js';
import { RuleViolation } from '../kernel/errors/domain-errors.js';
import { type CaseRow, defineMachine, type Guard, type OnDue, type TransitionContext } from '../kernel/state-machine/machine.js';
import type { DueRule } from '../kernel/time/business-clock.js';

/** Status of a logistics exception case (SPEC §6). The one place these strings are written. */
export enum LogisticsExceptionStatus {
  /** Detected or reported; an agent checks the carrier back office and calls the outlet [002]. */
  Open = 'open',
  /** The outlet was called and a message left on the carrier back office; 24 h for an answer [002]. */
  Urged = 'urged',
  /** No answer in time (or no outlet at all): the customer gets a reship, by 16:00 [002 补发]. */
  ReshipRequired = 'reship_required',
  /** The reship order exists; the original parcel still has to be recalled or written off. */
  Reshipped = 'reshipped',
  /** The carrier was asked to return the original parcel, which is followed [002 退回追货]. */
  Recalling = 'recalling',
  /** Done, with an outcome (and the amount recovered from the carrier). */
  Closed = 'closed',
}

/** What went wrong with the parcel [002 物流查询][000 货物跟踪 / 异常处理]. */
export enum LogisticsExceptionKind {
  /** 物流异常: no tracking update for a day in-province, three days across provinces. */
  Stale = 'stale',
  /** 快递无网点: the carrier has no outlet at the destination. */
  NoOutlet = 'no_outlet',
  /** 滞留: held up somewhere on the way. */
  Stranded = 'stranded',
  /** 地址错误 / 电话不通: the courier cannot find or reach the customer. */
  AddressIssue = 'address_issue',
  /** 丢失: lost by the carrier. */
  Lost = 'lost',
  /** 疑难: the carrier itself reports a problem. */
  CarrierReported = 'carrier_reported',
}

/** How a closed case ended. */
export enum LogisticsExceptionOutcome {
  /** The parcel moved again or the carrier gave a satisfying answer. */
  Resolved = 'resolved',
  /** Not a real problem (dismissed). */
  FalseAlarm = 'false_alarm',
  /** After a reship, the original parcel came back to the merchant. */
  OriginalReturned = 'original_returned',
  /** After a reship, the original parcel reached the customer after all. */
  OriginalDelivered = 'original_delivered',
  /** After a reship, the original is lost for good. */
  WrittenOff = 'written_off',
}

/** Where a case came from. */
export enum LogisticsExceptionSource {
  /** The stale scan. */
  Scan = 'scan',
  /** A carrier push (疑难 state, or an abort push). */
  Carrier = 'carrier',
  /** Registered by staff. */
  Staff = 'staff',
}

/** Machine name: the timeline subject type of these cases. */
export const LOGISTICS_EXCEPTION_MACHINE = 'logistics_exception';

/** [002] 若24小时之内快递方没有给出准确结果 → reship. */
export const ESCALATE_AFTER_HOURS = 24;

/** Kinds that a new tracking event settles by itself: the parcel moving again is the answer. */
export const AUTO_RESOLVED_KINDS: readonly LogisticsExceptionKind[] = [
  LogisticsExceptionKind.Stale,
  LogisticsExceptionKind.Stranded,
  LogisticsExceptionKind.CarrierReported,
];

/** Statuses in which a case counts as open (one per shipment at most). */
export const OPEN_EXCEPTION_STATUSES: readonly LogisticsExceptionStatus[] = Object.values(LogisticsExceptionStatus).filter(
  (s) => s !== LogisticsExceptionStatus.Closed,
);

/** Deadline of a fresh `open` case; the bulk scan computes it per shop from the same rule. */
export const OPEN_DUE: DueRule = { kind: 'businessHours', hours: 4 };

export interface ReshipInput {
  reshipCost: number;
  carrier?: string;
}
export interface CloseInput {
  outcome: LogisticsExceptionOutcome;
  recovered?: number;
}

/** [002 补发] a reship order replaces the goods of an order; a parcel sent outside any order has none. */
export function hasOrderToReship(row: CaseRow): string | null {
  return row.order_id ? null : 'This shipment belongs to no order, so there is no order to reship; register the replacement by hand and close the case';
}

/** Costs are integer minor units and only grow. */
export function throwIfBadAmount(ctx: TransitionContext): void {
  const { reshipCost } = ctx.input as Partial<ReshipInput>;
  const total = Number(ctx.row.cost) + (reshipCost ?? 0);
  if (!Number.isSafeInteger(total) || total < 0) throw new RuleViolation(`cost ${total} is not a valid amount in minor units`);
}

/** `close` ends a reship with what became of the original; `resolved`/`false_alarm` belong to resolve/dismiss. */
export function throwIfNotARecallOutcome(ctx: TransitionContext): void {
  const { outcome } = ctx.input as Partial<CloseInput>;
  const allowed = [LogisticsExceptionOutcome.OriginalReturned, LogisticsExceptionOutcome.OriginalDelivered, LogisticsExceptionOutcome.WrittenOff];
  if (!outcome || !allowed.includes(outcome)) throw new RuleViolation(`close needs an outcome of ${allowed.join(', ')}`);
}

/** The guards the machine names, as the logistics module registers them. */
export const LOGISTICS_EXCEPTION_GUARDS: Record<string, Guard> = { throwIfBadAmount, throwIfNotARecallOutcome };

const S = LogisticsExceptionStatus;
const OVERDUE: OnDue = { mark: 'overdue' };

/**
 * The logistics exception procedure [002 物流查询 → 物流异常 / 快递无网点][000 延误处理, 异常处理]:
 * query the carrier → urge the outlet and leave a back-office message → 24 h for an answer →
 * reship → have the original returned and follow it.
 */
export const logisticsExceptionMachine = defineMachine<LogisticsExceptionStatus>({
  name: LOGISTICS_EXCEPTION_MACHINE,
  table: 'logistics_exceptions',
  collection: 'logistics-exceptions',
  description: 'Parcels that stopped moving or that the carrier flags: urge the outlet, then reship and recall [002][000]',
  kind: 'case',
  states: {
    [S.Open]: { description: 'detected or reported: query the carrier, call the outlet [002]', tags: ['open'], due: OPEN_DUE, onDue: OVERDUE },
    [S.Urged]: {
      description: 'outlet urged and back-office message left; escalates after 24 h without an answer [002]',
      tags: ['open'],
      due: { kind: 'hours', hours: ESCALATE_AFTER_HOURS },
      onDue: { action: 'escalate', note: 'no answer from the carrier within 24 h of urging: reship [002]' },
    },
    [S.ReshipRequired]: { description: 'reship promised: to be sent by 16:00 the same day (next day after 16:00) [002]', tags: ['open'], due: { kind: 'cutoff', at: '16:00' }, onDue: OVERDUE },
    // The customer has their goods again (the reship); the original parcel is still to be dealt with.
    [S.Reshipped]: { description: 'reship order created; ask the carrier to return the original', tags: ['open', 'resolved'], due: { kind: 'businessHours', hours: 8 }, onDue: OVERDUE },
    [S.Recalling]: { description: 'the original is on its way back and followed [002 跟踪追回货物]', tags: ['open', 'resolved'], due: { kind: 'days', days: 7 }, onDue: OVERDUE },
    [S.Closed]: { description: 'done, with an outcome and the amount recovered', tags: ['closed', 'resolved'], terminal: true },
  },
  initial: [S.Open, S.ReshipRequired],
  actions: {
    urge: {
      description: '[002] call the carrier outlet and leave a message on the carrier back office; escalates 24 h later without an answer',
      from: [S.Open],
      to: S.Urged,
      actors: AGENT_PLUS,
    },
    resolve: {
      description: 'the parcel moves again or the carrier answered; also automatic on a new tracking event',
      from: [S.Open, S.Urged],
      to: S.Closed,
      actors: [...AGENT_PLUS, 'carrier', 'system'],
      set: (ctx) => ({ outcome: LogisticsExceptionOutcome.Resolved, closed_at: ctx.now }),
    },
    escalate: {
      description: 'no answer from the carrier: the customer gets a reship (by hand, or the timer 24 h after urge) [002]',
      from: [S.Open, S.Urged],
      to: S.ReshipRequired,
      actors: [...AGENT_PLUS, 'system'],
    },
    reship: {
      description: '[002 补发] create a reship order linked to the original; its cost (goods at cost plus freight) adds to the case',
      from: [S.ReshipRequired],
      to: S.Reshipped,
      actors: [...new Set([...AGENT_PLUS, ...WAREHOUSE_PLUS])],
      when: [hasOrderToReship],
      guards: ['throwIfBadAmount'],
      set: (ctx) => ({ cost: Number(ctx.row.cost) + ((ctx.input as ReshipInput).reshipCost ?? 0) }),
      effects: ['createReshipOrder'],
    },
    recall: {
      description: '[002 退回追货] ask the outlet to return the original parcel and follow it',
      from: [S.Reshipped],
      to: S.Recalling,
      actors: AGENT_PLUS,
    },
    close: {
      description: 'close after a reship: the original came back, reached the customer, or is written off; with the amount recovered from the carrier',
      from: [S.Reshipped, S.Recalling],
      to: S.Closed,
      actors: AGENT_PLUS,
      guards: ['throwIfNotARecallOutcome'],
      set: (ctx) => ({ outcome: (ctx.input as CloseInput).outcome, recovered: (ctx.input as CloseInput).recovered ?? 0, closed_at: ctx.now }),
    },
    dismiss: {
      description: 'not a real problem',
      from: [S.Open, S.Urged],
      to: S.Closed,
      actors: AGENT_PLUS,
      set: (ctx) => ({ outcome: LogisticsExceptionOutcome.FalseAlarm, closed_at: ctx.now }),
    },
  },
});
