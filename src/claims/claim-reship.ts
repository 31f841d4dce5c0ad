import type { EntityManager } from 'typeorm';
import type { Caller } from '../kernel/auth/roles.js';
import { NotFound } from '../kernel/errors/domain-errors.js';
import type { StateMachineEngine } from '../kernel/state-machine/state-machine.engine.js';
import { orderMachine } from '../orders/order.machine.js';
import { OrderStatus, PaymentMethod } from '../orders/order-status.js';

export interface ClaimReship {
  merchantId: string;
  claimId: string;
  orderId: string;
  carrier?: string;
  now: Date;
}

/**
 * [002 建立补发货订单 → 审核订单] the one place claims create a reship order: a free order (100 %
 * discount) of the affected lines and quantities, linked to the original (`reship_of`), entering
 * the audit as a paid order. Built like the logistics exception's reship today; when orders offer
 * a reship service, this function becomes a call to it.
 */
export async function createClaimReshipOrder(engine: StateMachineEngine, m: EntityManager, caller: Caller, r: ClaimReship): Promise<string> {
  const orders: Array<Record<string, unknown> & { id: string; order_number: string; shop_id: string; carrier: string | null; currency: string }> = await m.query(
    'SELECT * FROM orders WHERE id = $1 AND merchant_id = $2',
    [r.orderId, r.merchantId],
  );
  const original = orders[0];
  if (!original) throw new NotFound('order', r.orderId);
  const [{ n }]: Array<{ n: number }> = await m.query('SELECT count(*)::int AS n FROM orders WHERE reship_of = $1', [original.id]);
  const [{ amount }]: Array<{ amount: string }> = await m.query(
    'SELECT COALESCE(sum(ol.unit_price * cl.quantity), 0)::bigint AS amount FROM claim_lines cl JOIN order_lines ol ON ol.id = cl.order_line_id WHERE cl.claim_id = $1',
    [r.claimId],
  );
  const created = await engine.create(
    orderMachine,
    caller,
    {
      shop_id: original.shop_id,
      platform: 'internal',
      platform_order_id: `reship-${r.claimId}`,
      order_number: `${original.order_number}-R${n + 1}`,
      payment_method: PaymentMethod.Prepaid,
      currency: original.currency,
      items_amount: amount,
      discount_amount: amount,
      shipping_amount: 0,
      tax_amount: 0,
      other_amount: 0,
      total_amount: 0,
      customer_name: original.customer_name,
      customer_phone: original.customer_phone,
      customer_phone_e164: original.customer_phone_e164,
      customer_email: original.customer_email,
      ship_country: original.ship_country,
      ship_province: original.ship_province,
      ship_city: original.ship_city,
      ship_district: original.ship_district,
      ship_address: original.ship_address,
      ship_postcode: original.ship_postcode,
      carrier: r.carrier?.trim() || original.carrier,
      note: `补发 reship of order ${original.order_number} for claim ${r.claimId}`,
      placed_at: r.now,
      paid_at: r.now,
      platform_updated_at: r.now,
      reship_of: original.id,
    },
    { status: OrderStatus.Paid, manager: m, now: r.now, data: { reshipOf: original.id, claimId: r.claimId } },
  );
  const reshipId = created.row.id;
  await m.query(
    `INSERT INTO order_lines (merchant_id, order_id, line_no, platform_line_id, sku, title, quantity, unit_price, amount)
     SELECT ol.merchant_id, $2, row_number() OVER (ORDER BY ol.line_no), NULL, ol.sku, ol.title, cl.quantity, ol.unit_price, ol.unit_price * cl.quantity
       FROM claim_lines cl JOIN order_lines ol ON ol.id = cl.order_line_id WHERE cl.claim_id = $1`,
    [r.claimId, reshipId],
  );
  await engine.fire(orderMachine, original.id, 'reship-created', caller, {
    manager: m,
    internal: true,
    now: r.now,
    note: `reship order ${String(created.row.order_number)} created for claim ${r.claimId}`,
    data: { reshipOrderId: reshipId, claimId: r.claimId },
  });
  return reshipId;
}
