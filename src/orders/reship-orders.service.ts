import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../kernel/auth/roles.js';
import { NotFound, RuleViolation } from '../kernel/errors/domain-errors.js';
import { StateMachineEngine } from '../kernel/state-machine/state-machine.engine.js';
import { orderMachine } from './order.machine.js';
import { OrderStatus, PaymentMethod } from './order-status.js';

/** A line of the original order to send again, and how many. */
export interface ReshipLine {
  orderLineId: string;
  quantity: number;
}

export interface ReshipRequest {
  merchantId: string;
  /** The order whose goods are sent again. */
  orderId: string;
  /** Why, for both orders' timelines (e.g. "logistics exception <id>", "claim <id>: broken"). */
  reason: string;
  /** The case asking for the reship: one reship per case (its platform order id is `reship-<sourceId>`). */
  sourceId: string;
  caller: Caller;
  now?: Date;
  /** Carrier of the reship; default the original order's. */
  carrier?: string | null;
  /** What to send again; default every line of the original in full. */
  lines?: readonly ReshipLine[];
  /** What the reship costs the merchant (goods at cost plus freight), minor units, for the timeline; the case records it as its cost. */
  cost?: number;
  /** More for the timeline events (e.g. `{ logisticsExceptionId }`). */
  data?: Record<string, unknown>;
}

export interface CreatedReship {
  id: string;
  orderNumber: string;
}

/**
 * [002 补发] A reship order: a new paid order of the same shop and customer, free of charge
 * (discounted in full), carrying the lines sent again and a link to the original (`reship_of`);
 * it then goes through the audit and shipping like any order. Any case module calls this in its
 * transition's transaction (logistics exceptions, claims); the original's timeline records it.
 */
@Injectable()
export class ReshipOrdersService {
  constructor(private readonly engine: StateMachineEngine) {}

  async createReship(manager: EntityManager, req: ReshipRequest): Promise<CreatedReship> {
    const now = req.now ?? new Date();
    const orders: Array<Record<string, unknown> & { id: string; order_number: string; shop_id: string; carrier: string | null; currency: string }> = await manager.query(
      'SELECT * FROM orders WHERE id = $1 AND merchant_id = $2',
      [req.orderId, req.merchantId],
    );
    const original = orders[0];
    if (!original) throw new NotFound('order', req.orderId);
    const lines = await this.linesToSend(manager, original.id, req.lines);
    // Every line in full: the original's amounts as they were; some lines: their share of them.
    const itemsAmount = req.lines ? lines.reduce((sum, l) => sum + l.amount, 0) : Number(original.items_amount);
    const [{ n }]: Array<{ n: number }> = await manager.query('SELECT count(*)::int AS n FROM orders WHERE reship_of = $1', [original.id]);
    const data = { ...(req.data ?? {}), ...(req.cost !== undefined ? { cost: req.cost } : {}) };
    const created = await this.engine.create(
      orderMachine,
      req.caller,
      {
        shop_id: original.shop_id,
        platform: 'internal',
        platform_order_id: `reship-${req.sourceId}`,
        order_number: `${original.order_number}-R${n + 1}`,
        payment_method: PaymentMethod.Prepaid,
        currency: original.currency,
        items_amount: itemsAmount,
        discount_amount: itemsAmount,
        shipping_amount: 0,
        tax_amount: 0,
        other_amount: 0,
        total_amount: 0,
        customer_name: original.customer_name,
        customer_phone: original.customer_phone,
        customer_email: original.customer_email,
        ship_country: original.ship_country,
        ship_province: original.ship_province,
        ship_city: original.ship_city,
        ship_district: original.ship_district,
        ship_address: original.ship_address,
        ship_postcode: original.ship_postcode,
        carrier: req.carrier?.trim() || original.carrier,
        note: `补发 reship of order ${original.order_number} for ${req.reason}`,
        placed_at: now,
        paid_at: now,
        platform_updated_at: now,
        reship_of: original.id,
      },
      { status: OrderStatus.Paid, manager, now, data: { reshipOf: original.id, ...data } },
    );
    const reshipId = created.row.id;
    for (const [k, l] of lines.entries()) {
      await manager.query(
        `INSERT INTO order_lines (merchant_id, order_id, line_no, platform_line_id, sku, title, quantity, unit_price, amount) VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8)`,
        [req.merchantId, reshipId, k + 1, l.sku, l.title, l.quantity, l.unit_price, l.amount],
      );
    }
    await this.engine.fire(orderMachine, original.id, 'reship-created', req.caller, {
      manager,
      internal: true,
      now,
      note: `reship order ${String(created.row.order_number)} created`,
      data: { reshipOrderId: reshipId, ...data },
    });
    return { id: reshipId, orderNumber: String(created.row.order_number) };
  }

  private async linesToSend(manager: EntityManager, orderId: string, wanted?: readonly ReshipLine[]) {
    const all: Array<{ id: string; sku: string | null; title: string; quantity: number; unit_price: number; amount: number }> = (
      await manager.query('SELECT id, sku, title, quantity, unit_price, amount FROM order_lines WHERE order_id = $1 ORDER BY line_no', [orderId])
    ).map((l: { unit_price: string | number; amount: string | number }) => ({ ...l, unit_price: Number(l.unit_price), amount: Number(l.amount) }));
    if (!wanted) return all;
    if (!wanted.length) throw new RuleViolation('A reship needs at least one line');
    return wanted.map((w) => {
      const line = all.find((l) => l.id === w.orderLineId);
      if (!line) throw new RuleViolation(`Order line ${w.orderLineId} is not a line of order ${orderId}`);
      if (!Number.isInteger(w.quantity) || w.quantity < 1 || w.quantity > line.quantity) {
        throw new RuleViolation(`Reship quantity ${w.quantity} of line ${w.orderLineId} must be 1..${line.quantity}`);
      }
      return { ...line, quantity: w.quantity, amount: Math.round((line.amount * w.quantity) / line.quantity) };
    });
  }
}
