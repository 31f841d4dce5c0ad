import { AttachmentKind } from '../kernel/attachments/attachment-kind.js';
import type { BusinessCalendar } from '../kernel/calendar/business-calendar.js';
import { type StateEntry, slaClock } from '../kernel/calendar/sla-clock.js';
import {
  ALLOWED_RESOLUTIONS, BASIS_POINTS, ClaimStatus, ClaimType, FAULT_TYPES, RecoveryOutcome, Resolution, Responsibility, Verdict,
} from './claim-status.js';

/**
 * The claim rules of SPEC §8 and [002] as pure functions of plain data, so they are unit-tested
 * apart from the database; the machine's guards call them with what they read.
 */

/** Evidence kinds claims take [002 内外包装照片, 面单]. */
export const CLAIM_EVIDENCE_KINDS = [AttachmentKind.OuterPackage, AttachmentKind.InnerPackage, AttachmentKind.Item, AttachmentKind.Waybill] as const;

/** [002 仓库发货错误: 客户提供内外包装照片] what blaming the warehouse needs to have been photographed. */
export const WAREHOUSE_ERROR_PHOTOS = [AttachmentKind.InnerPackage, AttachmentKind.OuterPackage] as const;

/** The 16:00 clock stands still while the customer owes photos (SPEC §8; the machine's waiting_customer state). */
export const CLOCK_PAUSED_IN: readonly ClaimStatus[] = [ClaimStatus.AwaitingEvidence];

/** Why `resolution` does not fit a claim of `type` (naming the allowed ones), or null. */
export function resolutionRefusal(type: ClaimType, resolution: Resolution): string | null {
  const allowed = ALLOWED_RESOLUTIONS[type];
  if (allowed.includes(resolution)) return null;
  return `a ${type} claim cannot be resolved by ${resolution}; allowed: ${allowed.join(', ')} [002]`;
}

/** What the ruling of a claim needs, as judged from the input, the claim and its photos. */
export interface VerificationFacts {
  type: ClaimType;
  verdict: Verdict;
  authentic: boolean | null;
  responsibility: Responsibility | null;
  responsibleStaffId: string | null;
  shippedWeightGrams: number | null;
  expectedWeightGrams: number | null;
  /** Kinds of the photos the claim holds. */
  evidenceKinds: ReadonlySet<string>;
}

/** Everything a ruling still misses (empty when it may be given); each item names what to send. */
export function verificationGaps(f: VerificationFacts): string[] {
  const gaps: string[] = [];
  // [002 大量渗漏: 让客户提供照片并辨别真实性] whatever the verdict, the authenticity is judged first.
  if (f.type === ClaimType.LeakMajor && f.authentic === null) gaps.push('an authenticity judgement (authentic: true or false) [002 辨别真实性]');
  if (f.verdict === Verdict.Rejected || f.authentic === false) return gaps;
  if (FAULT_TYPES.includes(f.type)) {
    if (!f.responsibility) gaps.push('responsibility (review_error or warehouse_error) [002 三 错发漏发]');
    if (!f.responsibleStaffId) gaps.push('responsibleStaffId, the staff member responsible [002 通告责任人]');
    // [002 三.2 仓库发货错误] covers wrong and missing goods alike: package photos, then the shipped weight.
    if (f.responsibility === Responsibility.WarehouseError) {
      for (const k of WAREHOUSE_ERROR_PHOTOS) if (!f.evidenceKinds.has(k)) gaps.push(`a photo of kind ${k} [002 内外包装照片]`);
      if (f.shippedWeightGrams === null) gaps.push('shippedWeightGrams, the weight the parcel was shipped at [002 查询发货重量]');
      if (f.expectedWeightGrams === null) gaps.push('expectedWeightGrams, what the ordered goods should weigh [002 查询发货重量]');
    }
  }
  return gaps;
}

/** The verify action's target: judged not authentic is a rejection whatever the verdict says. */
export function verifyOutcome(verdict: Verdict | undefined, authentic: boolean | undefined | null): ClaimStatus.Verified | ClaimStatus.Rejected {
  return verdict === Verdict.Rejected || authentic === false ? ClaimStatus.Rejected : ClaimStatus.Verified;
}

/**
 * [002 少量渗漏: 按照比例进行退款] the refund of a minor leak: `lossShareBp` basis points of the affected
 * lines' amount, rounded half up to the minor unit, exactly (no floating point).
 */
export function proportionalRefund(affectedAmount: number, lossShareBp: number): number {
  if (!Number.isSafeInteger(affectedAmount) || affectedAmount < 0) throw new Error(`Invalid amount ${affectedAmount}`);
  if (!Number.isInteger(lossShareBp) || lossShareBp < 1 || lossShareBp > BASIS_POINTS) throw new Error(`Invalid loss share ${lossShareBp}`);
  const bp = BigInt(BASIS_POINTS);
  return Number((BigInt(affectedAmount) * BigInt(lossShareBp) + bp / 2n) / bp);
}

/** Full when the carrier paid what was claimed, partial when some of it, none at 0. */
export function recoveryOutcomeOf(claimed: number, recovered: number): RecoveryOutcome {
  if (recovered <= 0) return RecoveryOutcome.None;
  return recovered >= claimed ? RecoveryOutcome.Full : RecoveryOutcome.Partial;
}

/**
 * SPEC §8 / [002 时效为当天下午4点以前]: resolved by 16:00 shop time on the day reported (16:00 the next
 * day when reported at or after 16:00). The clock stands still while photos are awaited and
 * restarts at the upload: then 16:00 of the upload's day (the next day after 16:00).
 * `history` is the claim's status entries, oldest first, the state being entered last.
 */
export function claimDueAt(cal: BusinessCalendar, history: readonly StateEntry[], reportedAt: Date): Date {
  const last = history[history.length - 1];
  const clock = slaClock(cal, { history, pausedStates: CLOCK_PAUSED_IN, count: 'wall', now: last?.enteredAt ?? reportedAt });
  return cal.cutoff1600(clock.resumedAt ?? reportedAt);
}
