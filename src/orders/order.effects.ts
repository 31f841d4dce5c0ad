import { RuleViolation } from '../kernel/errors/domain-errors.js';
import type { Effect, TransitionContext } from '../kernel/state-machine/machine.js';
import { TaskKind } from '../tasks/task.entity.js';
import type { TasksService } from '../tasks/tasks.service.js';
import { chosenCarrier } from './order.guards.js';
import type { OrderShipments, OrderShipmentSource, ShipmentInput } from './order-shipments.port.js';

/** The side effects the order machine names, supplied by the orders module at registration. */
export function orderEffects(tasks: TasksService, shipmentWriter: OrderShipments): Record<string, Effect> {
  async function shipmentsFor(ctx: TransitionContext, shipments: ShipmentInput[], source: OrderShipmentSource): Promise<void> {
    const ref = { merchantId: ctx.row.merchant_id, shopId: ctx.row.shop_id as string, orderId: ctx.row.id, destProvince: ctx.row.ship_province as string | null };
    const skipped = await shipmentWriter.addForOrder(ctx.manager, ref, shipments, source);
    // Two warehouse clerks typing the same number at once: the unique index decides.
    if (skipped.length && source === 'order') throw new RuleViolation(`Tracking number ${skipped[0]} is already used`);
  }

  return {
    /** Paying makes the unpaid follow-up moot. */
    async closeUnpaidFollowUp(ctx) {
      await tasks.closeOpenFor(ctx.manager, ctx.row.merchant_id, TaskKind.UnpaidOrderFollowUp, ctx.row.id);
    },
    /** [002] 值班流失单: one follow-up task per unpaid order, whatever fires twice. */
    async openUnpaidFollowUp(ctx, order) {
      await tasks.createOnce(ctx.manager, {
        merchantId: order.merchant_id,
        shopId: order.shop_id,
        kind: TaskKind.UnpaidOrderFollowUp,
        subjectType: ctx.machine.name,
        subjectId: order.id,
        title: `Follow up unpaid order ${String(order.order_number)}`,
        dueAt: ctx.now,
        dedupeKey: order.id,
      });
    },
    async createShipment(ctx) {
      const { trackingNo } = ctx.input as { trackingNo: string };
      await shipmentsFor(ctx, [{ carrier: chosenCarrier(ctx)!, trackingNo }], 'order');
    },
    async createPlatformShipments(ctx) {
      await shipmentsFor(ctx, (ctx.input as { shipments?: ShipmentInput[] }).shipments ?? [], 'platform');
    },
  };
}
