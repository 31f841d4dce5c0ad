import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Caller, systemCaller } from '../kernel/auth/roles.js';
import { StateMachineEngine } from '../kernel/state-machine/state-machine.engine.js';
import { pairRefunds } from './refund-pairing.js';
import type { Shop } from '../shops/shop.entity.js';
import { orderMachine, STEPS_SKIPPED_BY_PLATFORM_SHIPMENT } from './order.machine.js';
import { OrderShipmentsPort } from './order-shipments.port.js';
import { OrderStatus, PaymentMethod, PRE_SHIPMENT } from './order-status.js';
import { orderContentHash } from './order-content.js';
import { OrderRow, OrdersRepository, snapshotColumns } from './orders.repository.js';
import { phoneRegion } from './phone.js';
import type { PlatformOrder, PlatformRefund } from './platform-order.js';

/** Where a platform fact came from, for the timeline. */
export interface DeliveryRef {
  inboxId: string;
  topic: string;
  deliveryId: string;
}

export interface SyncResult {
  /**
   * `stale`: an older version, or the same version with identical content (no effect);
   * `unchanged`: a newer version saying nothing new (only the stored version advances);
   * `refund_recorded`: the order part had no effect but a platform refund it carries was new.
   */
  outcome: 'created' | 'updated' | 'stale' | 'unchanged' | 'refund_recorded' | 'refund_duplicate';
  orderId: string | null;
  transitions: string[];
  [key: string]: unknown;
}

/**
 * Applies what a platform reports to our orders: one row per platform order, a snapshot applied
 * when newer than the stored one or as new but different (SPEC §5), and platform facts (paid, shipped, delivered,
 * cancelled) that move the order forward through the engine — never back.
 */
@Injectable()
export class OrderSyncService {
  constructor(
    private readonly engine: StateMachineEngine,
    private readonly repo: OrdersRepository,
    private readonly shipmentWriter: OrderShipmentsPort,
  ) {}

  async applyOrder(manager: EntityManager, shop: Shop, o: PlatformOrder, ref: DeliveryRef): Promise<SyncResult> {
    const caller = systemCaller(shop.merchantId, 'platform');
    await this.repo.lockPlatformOrder(manager, shop.id, o.platformOrderId);
    const existing = await this.repo.findRowByPlatformId(manager, shop.id, o.platformOrderId);
    const columns = { ...snapshotColumns(o, phoneRegion(o.shippingAddress.country, shop.timezone)), content_hash: orderContentHash(o) };
    let orderId: string;
    let outcome: SyncResult['outcome'];
    if (!existing) {
      const cod = o.paymentMethod === PaymentMethod.CashOnDelivery;
      const created = await this.engine.create(orderMachine, caller, newOrderColumns(shop, o, columns), {
        status: initialStatusOf(o), manager, dueFrom: o.placedAt, data: { ...refData(ref), ...(cod ? { cashOnDelivery: true } : {}) },
      });
      orderId = created.row.id;
      outcome = 'created';
      await this.repo.replaceLines(manager, shop.merchantId, orderId, o.lines);
      await this.repo.linkPlatformRefunds(manager, shop.id, o.platformOrderId, orderId);
    } else {
      const stored = new Date(existing.platform_updated_at).getTime();
      const older = o.updatedAt.getTime() < stored;
      // SPEC §5: an older version never overwrites; an equal one is applied when its content differs
      // (WooCommerce keeps date_modified on some edits; timestamps have one-second resolution);
      // identical content has no effect whatever its version.
      if (older || existing.content_hash === columns.content_hash) {
        if (!older) await this.repo.advancePlatformVersion(manager, existing.id, o.updatedAt);
        // Platform refunds carry their own ids and are recorded whatever the order version.
        const refundsRecorded = await this.recordRefunds(manager, shop, o.refunds, ref);
        const order = older ? 'older' : 'identical';
        const versions = { storedUpdatedAt: existing.platform_updated_at, deliveredUpdatedAt: o.updatedAt };
        if (refundsRecorded) return { outcome: 'refund_recorded', orderId: existing.id, transitions: [], order, refundsRecorded, ...versions };
        return { outcome: older || o.updatedAt.getTime() === stored ? 'stale' : 'unchanged', orderId: existing.id, transitions: [], order, ...versions };
      }
      const changed = changedColumns(existing, columns);
      // A change staff care about is recorded (and the version bumped) by the engine below; any
      // other new snapshot bumps the version itself, so an action prepared on older data gets a 409.
      const updated = await this.repo.updateSnapshot(manager, existing.id, columns, o.updatedAt, !changed.length);
      if (!updated) throw new Error(`order ${existing.id} changed under the platform order lock`);
      orderId = existing.id;
      outcome = 'updated';
      await this.repo.replaceLines(manager, shop.merchantId, orderId, o.lines);
      if (changed.length) {
        // Data staff may have audited changed on the platform: the timeline says what.
        await this.engine.fire(orderMachine, orderId, 'platform-update', caller, { manager, internal: true, data: { ...refData(ref), changed } });
      }
    }
    const transitions = await this.applyFacts(manager, caller, orderId, o, ref);
    await this.recordRefunds(manager, shop, o.refunds, ref);
    return { outcome, orderId, transitions };
  }

  /**
   * The batched path of `applyOrder` for orders seen for the first time (SPEC §13: a backlog
   * applied in few statements): one lock statement for all of them, one lookup, the engine's
   * `createMany` (multi-row orders, timeline and case-index inserts), one insert of all lines.
   * Only for snapshots `isPlainNewOrder` accepts (no platform fact to fire after the creation, no
   * refund inside) and at most one item per platform order. An item whose order exists already
   * gets null: the caller applies it through `applyOrder`, which holds every version rule.
   */
  async createOrders(manager: EntityManager, items: Array<{ shop: Shop; order: PlatformOrder; ref: DeliveryRef }>): Promise<Array<SyncResult | null>> {
    if (!items.length) return [];
    const key = (i: { shop: Shop; order: PlatformOrder }) => `${i.shop.id}:${i.order.platformOrderId}`;
    if (new Set(items.map(key)).size !== items.length) throw new Error('createOrders: one item per platform order');
    const shopIds = items.map((i) => i.shop.id);
    const platformIds = items.map((i) => i.order.platformOrderId);
    await this.repo.lockPlatformOrders(manager, shopIds, platformIds);
    const existing = await this.repo.existingPlatformOrders(manager, shopIds, platformIds);
    const fresh = items.filter((i) => !existing.has(key(i)));
    const created = new Map<string, string>();
    for (const status of [OrderStatus.PendingPayment, OrderStatus.Paid]) {
      const group = fresh.filter((i) => initialStatusOf(i.order) === status);
      if (!group.length) continue;
      const results = await this.engine.createMany(
        orderMachine,
        group.map(({ shop, order: o, ref }) => ({
          caller: systemCaller(shop.merchantId, 'platform'),
          values: newOrderColumns(shop, o),
          dueFrom: o.placedAt,
          data: { ...refData(ref), ...(o.paymentMethod === PaymentMethod.CashOnDelivery ? { cashOnDelivery: true } : {}) },
        })),
        { status, manager },
      );
      group.forEach((i, k) => created.set(key(i), results[k].row.id));
    }
    const done = fresh.map((i) => ({ i, orderId: created.get(key(i))! }));
    await this.repo.insertNewLines(manager, done.map(({ i, orderId }) => ({ merchantId: i.shop.merchantId, orderId, lines: i.order.lines })));
    await this.repo.linkPlatformRefundsMany(manager, done.map(({ i, orderId }) => ({ shopId: i.shop.id, platformOrderId: i.order.platformOrderId, orderId })));
    return items.map((i) => {
      const orderId = created.get(key(i));
      return orderId ? { outcome: 'created', orderId, transitions: [] } : null;
    });
  }

  /** Records an order's new platform refunds and pairs them with ours; returns how many were new. */
  private async recordRefunds(manager: EntityManager, shop: Shop, refunds: PlatformRefund[], ref: DeliveryRef): Promise<number> {
    const recorded: PlatformRefund[] = [];
    for (const r of refunds) if ((await this.recordRefund(manager, shop, r, ref)).created) recorded.push(r);
    // All of the order's new refunds are written before the pairing lock is taken (refund-pairing.ts).
    for (const platformOrderId of new Set(recorded.map((r) => r.platformOrderId))) {
      const ids = recorded.filter((r) => r.platformOrderId === platformOrderId).map((r) => r.platformRefundId);
      await pairRefunds(manager, { shopId: shop.id, platformOrderId, platformRefundIds: ids });
    }
    return recorded.length;
  }

  async applyRefund(manager: EntityManager, shop: Shop, r: PlatformRefund, ref: DeliveryRef): Promise<SyncResult> {
    const { created, orderId } = await this.recordRefund(manager, shop, r, ref);
    // SPEC §12: paired with our side as it arrives, so the report reads the pairs.
    if (created) await pairRefunds(manager, { shopId: shop.id, platformOrderId: r.platformOrderId, platformRefundIds: [r.platformRefundId] });
    return { outcome: created ? 'refund_recorded' : 'refund_duplicate', orderId, transitions: [] };
  }

  private async recordRefund(manager: EntityManager, shop: Shop, r: PlatformRefund, ref: DeliveryRef): Promise<{ created: boolean; orderId: string | null }> {
    const res = await this.repo.insertPlatformRefundOnce(manager, shop.merchantId, shop.id, r);
    if (res.created && res.orderId) {
      await this.engine.fire(orderMachine, res.orderId, 'platform-refund', systemCaller(shop.merchantId, 'platform'), {
        manager, internal: true, data: { ...refData(ref), platformRefundId: r.platformRefundId, amount: r.amount, currency: r.currency, reason: r.reason },
      });
    }
    return res;
  }

  /** Platform facts win: they move the order forward past internal steps, recording what was skipped. */
  private async applyFacts(manager: EntityManager, caller: Caller, orderId: string, o: PlatformOrder, ref: DeliveryRef): Promise<string[]> {
    const fired: string[] = [];
    const fire = async (action: string, input: Record<string, unknown>, data: Record<string, unknown> = {}) => {
      await this.engine.fire(orderMachine, orderId, action, caller, { manager, input, data: { ...refData(ref), ...data } });
      fired.push(action);
    };
    let status = await this.repo.statusOf(manager, orderId);

    if (o.facts.cancelled) {
      if (PRE_SHIPMENT.includes(status)) await fire('cancel', { reason: o.facts.cancelReason ?? 'cancelled on the platform' });
      else if (status === OrderStatus.Shipped) await fire('platform-cancel', { reason: o.facts.cancelReason ?? 'cancelled on the platform' }, { afterShipment: true });
      return fired;
    }
    if (o.facts.paid && status === OrderStatus.PendingPayment) {
      await fire('pay', { paidAt: (o.facts.paidAt ?? o.updatedAt).toISOString() });
      status = OrderStatus.Paid;
    }
    const shipments = o.facts.shipments.map((s) => ({ carrier: s.carrier, trackingNo: s.trackingNo }));
    if (o.facts.shipped && PRE_SHIPMENT.includes(status)) {
      await fire('platform-ship', { shipments }, { platformFact: 'shipped', skippedSteps: STEPS_SKIPPED_BY_PLATFORM_SHIPMENT[status] ?? [] });
      status = OrderStatus.Shipped;
    } else if (shipments.length && (status === OrderStatus.Shipped || status === OrderStatus.Delivered)) {
      // Tracking numbers the platform adds after the order shipped.
      const row: Array<{ shop_id: string; ship_province: string | null }> = await manager.query('SELECT shop_id, ship_province FROM orders WHERE id = $1', [orderId]);
      await this.shipmentWriter.addForOrder(manager, { merchantId: caller.merchantId, shopId: row[0].shop_id, orderId, destProvince: row[0].ship_province }, shipments, 'platform');
    }
    if (o.facts.delivered && status === OrderStatus.Shipped) {
      const at = o.facts.deliveredAt ?? o.updatedAt;
      await fire('deliver', { deliveredAt: at.toISOString() });
    }
    return fired;
  }
}

/**
 * A snapshot of an order not stored yet whose creation is all there is to do: no cancellation,
 * shipment or delivery to fire after it, no refund inside (OrderSyncService.createOrders).
 */
export function isPlainNewOrder(o: PlatformOrder): boolean {
  return !o.facts.cancelled && !o.facts.shipped && !o.facts.delivered && o.refunds.length === 0;
}

/** Cash on delivery is collected at the door: the order goes to the audit at once [004]. */
function initialStatusOf(o: PlatformOrder): OrderStatus {
  return o.facts.paid || o.paymentMethod === PaymentMethod.CashOnDelivery ? OrderStatus.Paid : OrderStatus.PendingPayment;
}

function newOrderColumns(shop: Shop, o: PlatformOrder, columns?: Record<string, unknown>): Record<string, unknown> {
  return {
    shop_id: shop.id,
    platform: shop.platform,
    platform_order_id: o.platformOrderId,
    carrier: o.carrier,
    paid_at: o.facts.paid ? (o.facts.paidAt ?? o.placedAt) : null,
    ...(columns ?? { ...snapshotColumns(o, phoneRegion(o.shippingAddress.country, shop.timezone)), content_hash: orderContentHash(o) }),
  };
}

function refData(ref: DeliveryRef): Record<string, unknown> {
  return { webhookDelivery: ref.inboxId, topic: ref.topic, deliveryId: ref.deliveryId };
}

const TRACKED = ['order_number', 'payment_method', 'total_amount', 'items_amount', 'customer_name', 'customer_phone', 'ship_province', 'ship_city', 'ship_district', 'ship_address', 'note'];

/** Which of the fields staff care about a platform update changes (audited data may be stale). */
function changedColumns(before: OrderRow, after: Record<string, unknown>): string[] {
  return TRACKED.filter((c) => String(before[c] ?? '') !== String(after[c] ?? ''));
}
