import type { EntityManager } from 'typeorm';
import { countOpenCasesOfOrder } from '../kernel/cases/case-index.js';
import { RuleViolation } from '../kernel/errors/domain-errors.js';
import type { Guard, TransitionContext } from '../kernel/state-machine/machine.js';
import { loadCarrierRegistry } from '../carriers/carrier-directory.js';
import { carrierCoverageSettings } from './carrier-coverage.settings.js';
import { ConfirmationCallOutcome, HoldReason, PaymentMethod } from './order-status.js';
import { provinceKey } from './provinces.js';

/** Guards of the order machine: small named checks that run before any write (422 to refuse). */

interface LineRow {
  line_no: number;
  sku: string | null;
  title: string;
  quantity: number;
  unit_price: string;
  amount: string;
}

async function linesOf(manager: EntityManager, orderId: string): Promise<LineRow[]> {
  return manager.query('SELECT line_no, sku, title, quantity, unit_price, amount FROM order_lines WHERE order_id = $1 ORDER BY line_no', [orderId]);
}

const big = (v: unknown): bigint => BigInt(String(v ?? 0));

function refuse(message: string, holdReason: HoldReason, extra: Record<string, unknown> = {}): never {
  throw new RuleViolation(message, { rule: holdReason, suggestedHoldReason: holdReason, ...extra });
}

/** [002] 审单: every line has goods and a positive quantity, unit price × quantity agrees with the line, lines add up. */
export async function throwIfItemsInconsistent(ctx: TransitionContext): Promise<void> {
  const lines = await linesOf(ctx.manager, ctx.row.id);
  if (!lines.length) refuse('Audit refused: the order has no lines', HoldReason.ItemsMismatch);
  let sum = 0n;
  for (const l of lines) {
    if (!Number.isInteger(l.quantity) || l.quantity < 1) refuse(`Audit refused: line ${l.line_no} (${l.title}) has quantity ${l.quantity}`, HoldReason.ItemsMismatch);
    // A platform may round a unit price (WooCommerce): less than one minor unit per piece is rounding, more is a mismatch.
    const diff = big(l.unit_price) * BigInt(l.quantity) - big(l.amount);
    if ((diff < 0n ? -diff : diff) >= BigInt(l.quantity)) {
      refuse(`Audit refused: line ${l.line_no} (${l.title}) unit price × quantity ≠ line amount`, HoldReason.ItemsMismatch, { line: l.line_no });
    }
    sum += big(l.amount);
  }
  if (sum !== big(ctx.row.items_amount)) {
    refuse(`Audit refused: lines add up to ${sum} but the order's items amount is ${String(ctx.row.items_amount)} (minor units)`, HoldReason.ItemsMismatch);
  }
}

/** [002] 审单: items − discount + shipping + tax + other = total. */
export function throwIfAmountMismatch(ctx: TransitionContext): void {
  const r = ctx.row;
  const expected = big(r.items_amount) - big(r.discount_amount) + big(r.shipping_amount) + big(r.tax_amount) + big(r.other_amount);
  if (expected !== big(r.total_amount) || big(r.total_amount) < 0n) {
    refuse(
      `Audit refused: items ${String(r.items_amount)} − discount ${String(r.discount_amount)} + shipping ${String(r.shipping_amount)} + tax ${String(r.tax_amount)} + other ${String(r.other_amount)} = ${expected}, but the total is ${String(r.total_amount)} (minor units)`,
      HoldReason.AmountMismatch,
    );
  }
}

/** The carrier an action uses: the one in its body, else the one already on the order. */
export function chosenCarrier(ctx: TransitionContext): string | null {
  const given = (ctx.input as { carrier?: string }).carrier;
  const c = typeof given === 'string' && given.trim() ? given.trim() : (ctx.row.carrier as string | null);
  return c ?? null;
}

async function assertServed(ctx: TransitionContext, carrier: string | null): Promise<void> {
  if (!carrier) refuse('Audit refused: choose the carrier (body field "carrier")', HoldReason.AddressNotCovered);
  const province = ctx.row.ship_province as string | null;
  const key = provinceKey(province);
  if (!key) refuse('Refused: the order has no destination province to check the carrier against', HoldReason.AddressNotCovered);
  const { carriers } = await ctx.settings(carrierCoverageSettings);
  // Any name of the carrier finds its coverage list ("SF" covers an order shipped "顺丰速运") [SPEC §6 carrier identity].
  const registry = await loadCarrierRegistry(ctx.manager, ctx.row.merchant_id);
  const code = registry.codeOf(carrier);
  const coverage = carriers.find((c) => registry.codeOf(c.carrier) === code);
  if (!coverage) {
    refuse(`Refused: carrier ${carrier} has no coverage list; an admin sets it at PUT /api/v1/settings/carrier-coverage`, HoldReason.AddressNotCovered, { carrier });
  }
  if (!coverage.provinces.some((p) => provinceKey(p) === key)) {
    refuse(
      `Refused: carrier ${carrier} does not serve the destination province ${province}; choose another carrier or hold the order (address_not_covered)`,
      HoldReason.AddressNotCovered,
      { carrier, province },
    );
  }
}

/** [002] 审单: the destination province is served by the chosen carrier (per-merchant coverage list). */
export async function throwIfCarrierDoesNotServe(ctx: TransitionContext): Promise<void> {
  await assertServed(ctx, chosenCarrier(ctx));
}

/** Shipping with another carrier than the audited one re-checks its coverage. */
export async function throwIfShipCarrierDoesNotServe(ctx: TransitionContext): Promise<void> {
  const carrier = chosenCarrier(ctx);
  if (carrier && ctx.row.carrier) {
    const registry = await loadCarrierRegistry(ctx.manager, ctx.row.merchant_id);
    if (registry.codeOf(carrier) === registry.codeOf(ctx.row.carrier as string)) return;
  }
  await assertServed(ctx, carrier);
}

/** [004] 货到付款: a cash-on-delivery order needs a confirmation call with the customer's yes. */
export async function throwIfCodNotConfirmed(ctx: TransitionContext): Promise<void> {
  if (ctx.row.payment_method !== PaymentMethod.CashOnDelivery) return;
  const rows: unknown[] = await ctx.manager.query('SELECT 1 FROM order_confirmation_calls WHERE order_id = $1 AND outcome = $2 LIMIT 1', [
    ctx.row.id,
    ConfirmationCallOutcome.Confirmed,
  ]);
  if (!rows.length) {
    refuse(
      'Audit refused: a cash-on-delivery order needs a logged confirmation call with outcome "confirmed" (POST /api/v1/orders/{id}/confirmation-calls) [004]',
      HoldReason.CustomerContactNeeded,
    );
  }
}

/** A tracking number is used by one parcel only. */
export async function throwIfTrackingNoUsed(ctx: TransitionContext): Promise<void> {
  const { trackingNo } = ctx.input as { trackingNo?: string };
  const carrier = chosenCarrier(ctx);
  if (!trackingNo || !carrier) return;
  const code = (await loadCarrierRegistry(ctx.manager, ctx.row.merchant_id)).codeOf(carrier);
  const rows: Array<{ order_id: string | null }> = await ctx.manager.query(
    'SELECT order_id FROM shipments WHERE merchant_id = $1 AND lower(carrier) = $2 AND tracking_no = $3',
    [ctx.row.merchant_id, code, trackingNo.trim()],
  );
  if (rows.length) throw new RuleViolation(`Tracking number ${trackingNo} of ${carrier} is already used${rows[0].order_id ? ` by order ${rows[0].order_id}` : ''}`);
}

/** SPEC §5: an order completes only when no case about it (any module, from the case index) is open. */
export async function throwIfCaseOpen(ctx: TransitionContext): Promise<void> {
  const open = await countOpenCasesOfOrder(ctx.manager, ctx.row.merchant_id, ctx.row.id);
  if (open > 0) throw new RuleViolation(`The order has ${open} open case(s); it completes when they are closed`, { openCases: open });
}

/** The guards the order machine names, as the orders module registers them. */
export const ORDER_GUARDS: Record<string, Guard> = {
  throwIfItemsInconsistent,
  throwIfAmountMismatch,
  throwIfCarrierDoesNotServe,
  throwIfShipCarrierDoesNotServe,
  throwIfCodNotConfirmed,
  throwIfTrackingNoUsed,
  throwIfCaseOpen,
};
