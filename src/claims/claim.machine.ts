import { AGENT_PLUS, Role, SUPERVISOR_PLUS } from '../kernel/auth/roles.js';
import { type ComputedDue, defineMachine, type OnDue, type TransitionContext } from '../kernel/state-machine/machine.js';
import { claimDeadline } from './claim-deadline.js';
import { verifyOutcome } from './claim.rules.js';
import { recoveryColumns, resolutionColumns } from './claim-resolution.js';
import { ClaimStatus } from './claim-status.js';
import {
  ClaimCarrierDto, CloseClaimDto, RecoverClaimDto, RequestEvidenceDto, ResolveClaimDto, VerifyClaimDto,
} from './dto/claim-actions.dto.js';

const S = ClaimStatus;
const OVERDUE: OnDue = { mark: 'overdue' };
const ALL_STATES = Object.values(ClaimStatus);

/** Who may upload photos: the agent working the claim, and the warehouse with its package photos. */
const UPLOADERS = [...AGENT_PLUS, Role.Warehouse] as const;
/** [000 努力做到零赔付] what is claimed from and recovered from the carrier is a supervisor's call. */
const CARRIER_CLAIMERS = SUPERVISOR_PLUS;
const RECOVERY_RECORDERS = [...SUPERVISOR_PLUS, Role.Finance] as const;

/** The input of `resolve`, of `refund-succeeded` and `gift-given`, as effects and `set` read it. */
export interface MoneyInput {
  amount: number;
}

function verifyTarget(ctx: TransitionContext): ClaimStatus.Verified | ClaimStatus.Rejected {
  const i = ctx.input as VerifyClaimDto;
  return verifyOutcome(i.verdict, i.authentic);
}

/** [002 时效为当天下午4点以前] (SPEC §8): 16:00 of the day reported, or of the upload after a wait for photos. */
const UNTIL_1600: ComputedDue = {
  kind: 'computed',
  note: '16:00 shop time of the day reported (the next day after 16:00); after a wait for photos, 16:00 of the upload\'s day [002]',
  at: (ctx) => (ctx.action === 'verify' && verifyTarget(ctx) === S.Rejected ? null : claimDeadline(ctx, ctx.action === 'verify' ? S.Verified : S.EvidenceReceived)),
};

/**
 * 售后流程及处理规范 二 破损、渗漏 / 三 错发漏发 [002] and 异常处理 [000] (SPEC §8): photos, a ruling
 * (authenticity, responsibility), the resolution the type allows, then the carrier recovery.
 */
export const claimMachine = defineMachine<ClaimStatus>({
  name: 'claim',
  table: 'claims',
  collection: 'claims',
  description: 'Broken, leaking, wrong and missing goods: photos, ruling, reship / refund / gift, carrier recovery [002][000]',
  kind: 'case',
  states: {
    [S.Reported]: {
      description: 'registered (事务登记): ask for photos or upload them; resolved by 16:00 the day reported [002]',
      tags: ['open'],
      // The same rule as cal.cutoff1600 (16:00, the next day after it); the engine computes it from reportedAt at creation.
      due: { kind: 'cutoff', at: '16:00' },
      onDue: OVERDUE,
    },
    // The customer owes the photos: the 16:00 clock stands still (no deadline) until they arrive.
    [S.AwaitingEvidence]: { description: 'photos asked for [002 让客户提供照片]; the clock is paused', tags: ['waiting_customer'] },
    [S.EvidenceReceived]: { description: 'photos received: judge them', tags: ['open'], onDue: OVERDUE },
    [S.Verified]: { description: 'judged genuine: resolve it by the deadline', tags: ['open'], onDue: OVERDUE },
    [S.Rejected]: { description: 'judged not genuine or otherwise refused', tags: ['closed'], terminal: true },
    [S.Resolved]: { description: 'the customer has the resolution; claim from the carrier or close', tags: ['open', 'resolved'] },
    [S.Recovering]: { description: 'compensation claimed from the carrier [000 努力做到零赔付]', tags: ['open', 'resolved'] },
    [S.Closed]: { description: 'done: what the merchant paid and recovered is on the claim', tags: ['closed', 'resolved'], terminal: true },
  },
  initial: [S.Reported],
  actions: {
    'request-evidence': {
      description: '[002] ask the customer for photos (again); the 16:00 clock pauses until the upload',
      from: [S.Reported, S.EvidenceReceived],
      to: S.AwaitingEvidence,
      actors: AGENT_PLUS,
      input: RequestEvidenceDto,
    },
    'upload-evidence': {
      description: '(upload) POST /claims/{id}/evidence: photos received; the clock restarts at the upload',
      from: [S.Reported, S.AwaitingEvidence],
      to: S.EvidenceReceived,
      actors: [...UPLOADERS, 'system'],
      internal: true,
      due: UNTIL_1600,
      set: (ctx) => ({ evidence_received_at: ctx.now, suspected_reuse_of: ctx.row.suspected_reuse_of ?? (ctx.input as { suspectedReuseOf?: string | null }).suspectedReuseOf ?? null }),
    },
    'add-evidence': {
      description: '(upload) more photos while the claim is being judged; status and deadline stay',
      from: [S.EvidenceReceived],
      to: 'stay',
      actors: [...UPLOADERS, 'system'],
      internal: true,
      set: (ctx) => ({ suspected_reuse_of: ctx.row.suspected_reuse_of ?? (ctx.input as { suspectedReuseOf?: string | null }).suspectedReuseOf ?? null }),
    },
    verify: {
      description: 'the ruling: leak_major needs the authenticity judged [002 辨别真实性]; a warehouse error needs inner and outer package photos and the shipped weight [002 查询发货重量]',
      from: [S.EvidenceReceived],
      to: { targets: [S.Verified, S.Rejected], resolve: verifyTarget },
      actors: AGENT_PLUS,
      guards: ['throwIfUnverifiable'],
      due: UNTIL_1600,
      input: VerifyClaimDto,
      set: (ctx) => {
        const i = ctx.input as VerifyClaimDto;
        const rejected = verifyTarget(ctx) === S.Rejected;
        return {
          authentic: i.authentic ?? ctx.row.authentic ?? null,
          responsibility: i.responsibility ?? ctx.row.responsibility ?? null,
          responsible_staff_id: i.responsibleStaffId ?? ctx.row.responsible_staff_id ?? null,
          shipped_weight_grams: i.shippedWeightGrams ?? ctx.row.shipped_weight_grams ?? null,
          expected_weight_grams: i.expectedWeightGrams ?? ctx.row.expected_weight_grams ?? null,
          verified_by: ctx.caller.staffId ?? null,
          verified_at: ctx.now,
          reject_reason: rejected ? (i.rejectReason ?? 'judged not authentic [002 辨别真实性]') : null,
          closed_at: rejected ? ctx.now : null,
        };
      },
    },
    resolve: {
      description: 'the resolution the type allows (SPEC §8): broken reship|refund, leak_minor gift_next_order|refund (in proportion), leak_major/wrong_item/missing_item reship',
      from: [S.Verified],
      to: S.Resolved,
      actors: AGENT_PLUS,
      guards: ['throwIfBadResolution'],
      input: ResolveClaimDto,
      set: resolutionColumns,
      effects: ['writeRefund', 'createReshipOrder', 'promiseGift', 'recordFault'],
    },
    'claim-carrier': {
      description: '[000 努力做到零赔付] claim compensation from the carrier: amount and the carrier\'s reference',
      from: [S.Resolved],
      to: S.Recovering,
      actors: CARRIER_CLAIMERS,
      input: ClaimCarrierDto,
      set: (ctx) => {
        const i = ctx.input as ClaimCarrierDto;
        return { carrier_claim_amount: i.amountClaimed, carrier_claim_reference: i.carrierReference, carrier_claimed_at: ctx.now };
      },
    },
    recover: {
      description: 'what the carrier paid (0 allowed, at most the amount claimed); full / partial / none kept apart',
      from: [S.Recovering],
      to: S.Closed,
      actors: RECOVERY_RECORDERS,
      guards: ['throwIfAboveClaimed'],
      input: RecoverClaimDto,
      set: recoveryColumns,
    },
    close: {
      description: 'close a resolved claim without a carrier claim',
      from: [S.Resolved],
      to: S.Closed,
      actors: AGENT_PLUS,
      input: CloseClaimDto,
      set: (ctx) => ({ closed_at: ctx.now }),
    },
    'refund-succeeded': {
      description: 'a refund of the claim succeeded (told by the refund ledger): it adds to the cost',
      from: ALL_STATES,
      to: 'stay',
      actors: ['system'],
      internal: true,
      set: (ctx) => ({ cost: Number(ctx.row.cost) + (ctx.input as MoneyInput).amount }),
    },
    'refund-failed': {
      description: 'a refund of the claim failed (told by the refund ledger); a retry is a new refund',
      from: ALL_STATES,
      to: 'stay',
      actors: ['system'],
      internal: true,
    },
    'gift-given': {
      description: 'the customer\'s next order shipped with the promised gift: its cost adds to the claim',
      from: ALL_STATES,
      to: 'stay',
      actors: ['system'],
      internal: true,
      set: (ctx) => ({ cost: Number(ctx.row.cost) + (ctx.input as MoneyInput).amount }),
    },
  },
});
