import type { EntityManager } from 'typeorm';
import { sumMinor } from '../kernel/money/money.js';
import type { TransitionContext } from '../kernel/state-machine/machine.js';
import { proportionalRefund, recoveryOutcomeOf } from './claim.rules.js';
import { Resolution } from './claim-status.js';
import type { RecoverClaimDto, ResolveClaimDto } from './dto/claim-actions.dto.js';

/** An affected line with what it was sold at. */
export interface AffectedLine {
  order_line_id: string;
  line_no: number;
  sku: string | null;
  title: string;
  quantity: number;
  unit_price: string | number;
}

export async function affectedLinesOf(m: EntityManager, claimId: string): Promise<AffectedLine[]> {
  return m.query(
    `SELECT cl.order_line_id, ol.line_no, ol.sku, ol.title, cl.quantity, ol.unit_price
       FROM claim_lines cl JOIN order_lines ol ON ol.id = cl.order_line_id
      WHERE cl.claim_id = $1 ORDER BY ol.line_no`,
    [claimId],
  );
}

/** What the affected units were sold at, minor units. */
export function affectedAmountOf(lines: readonly AffectedLine[]): number {
  return sumMinor(lines.map((l) => Number(l.unit_price) * l.quantity));
}

/** The refund a `refund` resolution pays: the amount given, or the loss share of the affected lines [002 按照比例]. */
export function refundAmountFor(input: ResolveClaimDto, affectedAmount: number): number {
  if (input.lossShare !== undefined) return proportionalRefund(affectedAmount, input.lossShare);
  return input.refundAmount ?? 0;
}

/** Columns `resolve` writes; a reship's goods at cost plus freight add to the cost now, refunds and gifts when paid or given. */
export async function resolutionColumns(ctx: TransitionContext): Promise<Record<string, unknown>> {
  const i = ctx.input as ResolveClaimDto;
  const cols: Record<string, unknown> = { resolution: i.resolution, resolved_at: ctx.now };
  if (i.resolution === Resolution.Refund) {
    const amount = refundAmountFor(i, affectedAmountOf(await affectedLinesOf(ctx.manager, ctx.row.id)));
    Object.assign(cols, { refund_amount: amount, loss_share_bp: i.lossShare ?? null });
  }
  if (i.resolution === Resolution.Reship) {
    const reshipCost = i.reshipCost ?? 0;
    const freightCost = i.freightCost ?? 0;
    Object.assign(cols, { reship_cost: reshipCost, freight_cost: freightCost, cost: sumMinor([Number(ctx.row.cost), reshipCost, freightCost]) });
  }
  if (i.resolution === Resolution.GiftNextOrder) Object.assign(cols, { gift_cost: i.giftCost ?? 0, gift_note: i.giftNote ?? null });
  return cols;
}

/** Columns `recover` writes: what came back, and whether that was all of the amount claimed. */
export function recoveryColumns(ctx: TransitionContext): Record<string, unknown> {
  const { amountRecovered } = ctx.input as RecoverClaimDto;
  return {
    recovered: sumMinor([Number(ctx.row.recovered), amountRecovered]),
    recovery_outcome: recoveryOutcomeOf(Number(ctx.row.carrier_claim_amount), amountRecovered),
    closed_at: ctx.now,
  };
}

