import type { EntityManager } from 'typeorm';
import { InvalidInput, RuleViolation } from '../kernel/errors/domain-errors.js';
import { formatMoney } from '../kernel/money/money.js';
import type { Guard, TransitionContext } from '../kernel/state-machine/machine.js';
import { affectedAmountOf, affectedLinesOf, refundAmountFor } from './claim-resolution.js';
import { resolutionRefusal, verificationGaps } from './claim.rules.js';
import { ClaimType, FAULT_TYPES, Resolution, type Responsibility, Verdict } from './claim-status.js';
import type { RecoverClaimDto, ResolveClaimDto, VerifyClaimDto } from './dto/claim-actions.dto.js';

/** Named checks of the claim machine that read the input or the database; pure rules live in claim.rules.ts. */

export async function isActiveStaff(m: EntityManager, merchantId: string, staffId: string): Promise<boolean> {
  const rows: unknown[] = await m.query('SELECT 1 FROM staff WHERE id = $1 AND merchant_id = $2 AND active', [staffId, merchantId]);
  return rows.length > 0;
}

/** 422 unless the responsible staff member (通告责任人) is active staff of the claim's merchant. */
export async function throwIfNotStaff(m: EntityManager, merchantId: string, staffId: string | null | undefined): Promise<void> {
  if (staffId && !(await isActiveStaff(m, merchantId, staffId))) {
    throw new RuleViolation(`responsibleStaffId ${staffId} is not an active staff member of this merchant`, { responsibleStaffId: staffId });
  }
}

/** 422 when a responsibility is given for a type without one. */
export function throwIfFaultNotApplicable(type: ClaimType, responsibility?: Responsibility | null, staffId?: string | null): void {
  if (!FAULT_TYPES.includes(type) && (responsibility || staffId)) {
    throw new RuleViolation(`responsibility and responsibleStaffId apply to ${FAULT_TYPES.join(' and ')} claims, not ${type}`);
  }
}

/** The ruling may be given only with what [002] asks for; the 422 lists everything missing. */
export async function throwIfUnverifiable(ctx: TransitionContext): Promise<void> {
  const i = ctx.input as VerifyClaimDto;
  const row = ctx.row;
  const type = row.type as ClaimType;
  throwIfFaultNotApplicable(type, i.responsibility, i.responsibleStaffId);
  const staffId = i.responsibleStaffId ?? (row.responsible_staff_id as string | null);
  await throwIfNotStaff(ctx.manager, row.merchant_id, i.responsibleStaffId);
  const kinds: Array<{ kind: string }> = await ctx.manager.query(
    `SELECT DISTINCT kind FROM attachments WHERE merchant_id = $1 AND case_module = 'claim' AND case_id = $2 AND kind IS NOT NULL`,
    [row.merchant_id, row.id],
  );
  const gaps = verificationGaps({
    type,
    verdict: i.verdict ?? Verdict.Verified,
    authentic: i.authentic ?? (row.authentic as boolean | null) ?? null,
    responsibility: i.responsibility ?? (row.responsibility as Responsibility | null) ?? null,
    responsibleStaffId: staffId ?? null,
    shippedWeightGrams: i.shippedWeightGrams ?? (row.shipped_weight_grams as number | null) ?? null,
    expectedWeightGrams: i.expectedWeightGrams ?? (row.expected_weight_grams as number | null) ?? null,
    evidenceKinds: new Set(kinds.map((k) => k.kind)),
  });
  if (gaps.length) throw new RuleViolation(`cannot verify this ${type} claim yet; missing: ${gaps.join('; ')}`, { missing: gaps });
}

function required(field: string, why: string): InvalidInput {
  return new InvalidInput('Validation failed', [{ field, errors: [`${field} is required ${why}`] }]);
}

function notApplicable(fields: string[], resolution: Resolution): InvalidInput {
  return new InvalidInput('Validation failed', fields.map((field) => ({ field, errors: [`${field} does not apply to resolution ${resolution}`] })));
}

const FIELDS_OF: Record<Resolution, readonly (keyof ResolveClaimDto)[]> = {
  [Resolution.Refund]: ['refundAmount', 'lossShare', 'manual'],
  [Resolution.Reship]: ['reshipCost', 'freightCost', 'carrier'],
  [Resolution.GiftNextOrder]: ['giftCost', 'giftNote'],
};
const FAULT_FIELDS: readonly (keyof ResolveClaimDto)[] = ['auditErrorKind', 'inventoryCorrections'];

/** SPEC §8 resolutions per type (422 naming the allowed ones), and the fields each one needs (400). */
export async function throwIfBadResolution(ctx: TransitionContext): Promise<void> {
  const i = ctx.input as ResolveClaimDto;
  const type = ctx.row.type as ClaimType;
  const refusal = resolutionRefusal(type, i.resolution);
  if (refusal) throw new RuleViolation(refusal, { type, resolution: i.resolution });

  const own = FIELDS_OF[i.resolution];
  const foreign = (Object.values(FIELDS_OF).flat() as (keyof ResolveClaimDto)[]).filter((f) => !own.includes(f) && i[f] !== undefined);
  if (!FAULT_TYPES.includes(type)) foreign.push(...FAULT_FIELDS.filter((f) => i[f] !== undefined));
  if (foreign.length) throw notApplicable(foreign, i.resolution);

  const currency = String(ctx.row.currency).trim();
  if (i.resolution === Resolution.Reship) {
    if (i.reshipCost === undefined) throw required('reshipCost', 'for a reship: the goods at cost, minor units');
    if (i.freightCost === undefined) throw required('freightCost', 'for a reship: the freight, minor units');
    if (!Number.isSafeInteger(Number(ctx.row.cost) + i.reshipCost + i.freightCost)) throw new RuleViolation('reshipCost plus freightCost is not a valid amount');
  }
  if (i.resolution === Resolution.Refund) {
    if (type === ClaimType.LeakMinor && i.refundAmount !== undefined) {
      throw new InvalidInput('Validation failed', [{ field: 'refundAmount', errors: ['a leak_minor refund is in proportion to the damage: give lossShare (basis points of the affected lines) [002]'] }]);
    }
    if (type === ClaimType.LeakMinor && i.lossShare === undefined) throw required('lossShare', 'for a leak_minor refund: basis points of the affected lines\' amount lost [002 按照比例进行退款]');
    if (i.refundAmount !== undefined && i.lossShare !== undefined) throw new InvalidInput('Validation failed', [{ field: 'lossShare', errors: ['give refundAmount or lossShare, not both'] }]);
    if (i.refundAmount === undefined && i.lossShare === undefined) throw required('refundAmount', 'for a refund (or lossShare)');
    const affected = affectedAmountOf(await affectedLinesOf(ctx.manager, ctx.row.id));
    const amount = refundAmountFor(i, affected);
    if (amount <= 0) throw new RuleViolation(`a ${i.lossShare} bp share of ${formatMoney(affected, currency)} rounds to nothing to refund`);
    if (amount > affected) {
      throw new RuleViolation(`cannot refund ${formatMoney(amount, currency)} for this claim: the affected lines were sold for ${formatMoney(affected, currency)}`, { amount, affectedAmount: affected });
    }
  }
  if (i.resolution === Resolution.GiftNextOrder) {
    if (i.giftCost === undefined) throw required('giftCost', 'for gift_next_order: the gift at cost, minor units');
    const [o]: Array<{ customer_phone_e164: string | null }> = await ctx.manager.query('SELECT customer_phone_e164 FROM orders WHERE id = $1', [ctx.row.order_id]);
    if (!o?.customer_phone_e164) {
      throw new RuleViolation('the order has no customer phone number to recognise the customer\'s next order by; resolve by refund instead');
    }
  }
  if (FAULT_TYPES.includes(type) && !i.inventoryCorrections?.length) {
    const lines = await affectedLinesOf(ctx.manager, ctx.row.id);
    const noSku = lines.filter((l) => !l.sku);
    if (noSku.length) {
      throw new RuleViolation(`the inventory correction [002 修正库存] needs a SKU: line ${noSku.map((l) => l.line_no).join(', ')} has none; give inventoryCorrections`);
    }
  }
}

/** The carrier never pays back more than was claimed from it. */
export function throwIfAboveClaimed(ctx: TransitionContext): void {
  const { amountRecovered } = ctx.input as RecoverClaimDto;
  const claimed = Number(ctx.row.carrier_claim_amount ?? 0);
  if (amountRecovered > claimed) {
    const c = String(ctx.row.currency).trim();
    throw new RuleViolation(`amountRecovered ${formatMoney(amountRecovered, c)} is more than the ${formatMoney(claimed, c)} claimed from the carrier`, { amountRecovered, amountClaimed: claimed });
  }
}

/** The guards the claim machine names, as the claims module registers them. */
export const CLAIM_GUARDS: Record<string, Guard> = { throwIfUnverifiable, throwIfBadResolution, throwIfAboveClaimed };
