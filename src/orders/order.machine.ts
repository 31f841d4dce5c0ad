import { AGENT_PLUS, FINANCE_PLUS, SUPERVISOR_PLUS, WAREHOUSE_PLUS } from '../kernel/auth/roles.js';
import { defineMachine } from '../kernel/state-machine/machine.js';
import { addCalendarDays } from '../kernel/time/business-clock.js';
import { orderSettings } from './order-settings.js';
import type { ShipmentInput } from './order-shipments.port.js';
import { chosenCarrier } from './order.guards.js';
import { FINANCE_BATCH_TIMES, nextFinanceBatch } from './finance-batch.js';
import { OrderStatus, PRE_SHIPMENT } from './order-status.js';

/** [002] 值班流失单: an order unpaid and not contacted within 20 minutes counts as lost. */
export const UNPAID_FOLLOW_UP_MINUTES = 20;

/** How often a delivered order whose completion is due is looked at again while a case keeps it open. */
export const COMPLETE_RETRY_MINUTES = 10;

/**
 * Internal steps a platform fact jumps over, by the status it found the order in (recorded in
 * the timeline and counted in reports: "platform facts win").
 */
export const STEPS_SKIPPED_BY_PLATFORM_SHIPMENT: Readonly<Record<string, readonly string[]>> = {
  [OrderStatus.PendingPayment]: ['pay', 'audit', 'confirm'],
  [OrderStatus.Paid]: ['audit', 'confirm'],
  [OrderStatus.OnHold]: ['release', 'audit', 'confirm'],
  [OrderStatus.Audited]: ['confirm'],
  [OrderStatus.Confirmed]: [],
};

const ALL_STATES = Object.values(OrderStatus);
const STAFF_WHO_RESHIP = [...new Set([...AGENT_PLUS, ...WAREHOUSE_PLUS])];

/** The order procedure of SPEC §5, [002] 订单审核 / 财务确认 and [004] 货到付款. */
export const orderMachine = defineMachine<OrderStatus>({
  name: 'order',
  table: 'orders',
  collection: 'orders',
  description: 'Orders from shop platforms: payment, audit 审单, finance confirmation 财务确认, shipping, delivery [002][004]',
  // Not a case (no cost of its own), but indexed: its timers run on the due sweeper and the worklist shows late orders.
  kind: 'record',
  indexed: true,
  states: {
    [OrderStatus.PendingPayment]: {
      description: 'placed, not paid; a follow-up task after 20 min [002]',
      tags: ['waiting_customer'],
      due: { kind: 'hours', hours: UNPAID_FOLLOW_UP_MINUTES / 60 },
      onDue: { action: 'follow-up-unpaid' },
    },
    [OrderStatus.Paid]: { description: 'paid (or cash on delivery accepted): waiting for the audit', tags: ['open'] },
    [OrderStatus.OnHold]: { description: 'held during the audit, with a reason', tags: ['open'] },
    [OrderStatus.Audited]: { description: 'audited: waiting for finance, due at the next 12:00 / 16:00 batch [002]', tags: ['open'] },
    [OrderStatus.Confirmed]: { description: 'confirmed by finance: ready to ship', tags: ['open'] },
    [OrderStatus.Shipped]: { description: 'handed to a carrier', tags: ['open'] },
    [OrderStatus.Delivered]: {
      description: 'delivered; completes after the configured days (15) unless a case is open',
      tags: ['open', 'resolved'],
      onDue: { action: 'complete', retryMinutes: COMPLETE_RETRY_MINUTES },
    },
    [OrderStatus.Completed]: { description: 'done', tags: ['closed', 'resolved'], terminal: true },
    [OrderStatus.Cancelled]: { description: 'cancelled', tags: ['closed'], terminal: true },
  },
  initial: [OrderStatus.PendingPayment, OrderStatus.Paid],
  actions: {
    pay: {
      description: '(webhook) the platform reports the order paid',
      from: [OrderStatus.PendingPayment],
      to: OrderStatus.Paid,
      actors: ['platform'],
      set: (ctx) => ({ paid_at: (ctx.input as { paidAt?: string }).paidAt ?? ctx.now }),
      effects: ['closeUnpaidFollowUp'],
    },
    'follow-up-unpaid': {
      description: '(timer) [002] 值班流失单: 20 minutes after placement, still unpaid: a follow-up task for the duty agent',
      from: [OrderStatus.PendingPayment],
      to: 'stay',
      actors: ['system'],
      effects: ['openUnpaidFollowUp'],
    },
    audit: {
      description: '审单: items, quantities and amount agree; the carrier serves the destination; COD orders confirmed by phone [002][004]',
      from: [OrderStatus.Paid],
      to: OrderStatus.Audited,
      actors: AGENT_PLUS,
      guards: ['throwIfItemsInconsistent', 'throwIfAmountMismatch', 'throwIfCarrierDoesNotServe', 'throwIfCodNotConfirmed'],
      set: (ctx) => ({ carrier: chosenCarrier(ctx) }),
      due: {
        kind: 'computed',
        note: 'the next finance batch, 12:00 or 16:00 shop time on a working day of the business calendar [002]',
        at: (ctx) => nextFinanceBatch(ctx.now, ctx.calendar.timezone, FINANCE_BATCH_TIMES, (day) => ctx.calendar.isWorkingDay(day)),
      },
    },
    hold: {
      description: 'hold the order during the audit; reason required [002]',
      from: [OrderStatus.Paid],
      to: OrderStatus.OnHold,
      actors: AGENT_PLUS,
      set: (ctx) => ({ hold_reason: (ctx.input as { reason: string }).reason }),
    },
    release: {
      description: 'release a held order back to the audit',
      from: [OrderStatus.OnHold],
      to: OrderStatus.Paid,
      actors: AGENT_PLUS,
      set: () => ({ hold_reason: null }),
    },
    confirm: {
      description: '财务确认: finance confirms the paid order [002]',
      from: [OrderStatus.Audited],
      to: OrderStatus.Confirmed,
      actors: FINANCE_PLUS,
    },
    ship: {
      description: 'ship with a carrier and tracking number; creates the shipment',
      from: [OrderStatus.Confirmed],
      to: OrderStatus.Shipped,
      actors: WAREHOUSE_PLUS,
      guards: ['throwIfShipCarrierDoesNotServe', 'throwIfTrackingNoUsed'],
      set: (ctx) => ({ carrier: chosenCarrier(ctx) }),
      effects: ['createShipment'],
    },
    'platform-ship': {
      description: '(webhook) the platform reports the order shipped: it moves even past skipped internal steps, which the timeline records',
      from: [...PRE_SHIPMENT],
      to: OrderStatus.Shipped,
      actors: ['platform'],
      set: (ctx) => {
        const first = (ctx.input as { shipments?: ShipmentInput[] }).shipments?.[0];
        return first ? { carrier: first.carrier } : {};
      },
      effects: ['createPlatformShipments'],
    },
    deliver: {
      description: '(tracking) the parcel was delivered; completion is due after the configured days',
      from: [OrderStatus.Shipped],
      to: OrderStatus.Delivered,
      actors: ['system', 'carrier', 'platform'],
      set: (ctx) => ({ delivered_at: (ctx.input as { deliveredAt?: string }).deliveredAt ?? ctx.now }),
      due: {
        kind: 'computed',
        note: "completion, the merchant's completeAfterDays (default 15) after delivery",
        at: async (ctx) => {
          const settings = await ctx.settings(orderSettings);
          const deliveredAt = new Date(String((ctx.input as { deliveredAt?: string }).deliveredAt ?? ctx.now.toISOString()));
          return addCalendarDays(deliveredAt, settings.completeAfterDays, ctx.calendar.timezone);
        },
      },
    },
    complete: {
      description: '(timer) complete the order the configured days (15) after delivery, unless a case is open',
      from: [OrderStatus.Delivered],
      to: OrderStatus.Completed,
      actors: ['system'],
      guards: ['throwIfCaseOpen'],
    },
    cancel: {
      description: 'cancel before shipping (platform, or a supervisor)',
      from: [...PRE_SHIPMENT],
      to: OrderStatus.Cancelled,
      actors: ['platform', ...SUPERVISOR_PLUS],
      set: (ctx) => ({ cancel_reason: (ctx.input as { reason?: string }).reason ?? null }),
    },
    'platform-cancel': {
      description: '(webhook) the platform cancelled an order already shipped: the parcel must be recalled',
      from: [OrderStatus.Shipped],
      to: OrderStatus.Cancelled,
      actors: ['platform'],
      set: (ctx) => ({ cancel_reason: (ctx.input as { reason?: string }).reason ?? null }),
    },
    // Facts recorded on the order without changing its status: a timeline event and a version
    // bump through the engine, like any transition.
    'platform-update': {
      description: '(webhook) the platform changed data staff may have audited (amounts, address, items); the timeline lists the fields',
      from: ALL_STATES,
      to: 'stay',
      actors: ['platform'],
      internal: true,
    },
    'platform-refund': {
      description: '(webhook) the platform reports a refund of this order',
      from: ALL_STATES,
      to: 'stay',
      actors: ['platform'],
      internal: true,
    },
    'confirmation-call': {
      description: '[004] a call to the customer was logged (POST /orders/{id}/confirmation-calls)',
      from: ALL_STATES,
      to: 'stay',
      actors: AGENT_PLUS,
      internal: true,
    },
    attribute: {
      description: '[002 订单归属] the agent the order is attributed to, from the contacts recorded (POST /orders/{id}/attribute)',
      from: ALL_STATES,
      to: 'stay',
      actors: AGENT_PLUS,
      internal: true,
      set: (ctx) => ({ assignee_id: (ctx.input as { assigneeId: string | null }).assigneeId }),
    },
    'reship-created': {
      description: '[002 补发] a reship order replacing this order\'s goods was created (ReshipOrdersService, for a logistics exception or a claim)',
      from: ALL_STATES,
      to: 'stay',
      actors: [...STAFF_WHO_RESHIP, 'system'],
      internal: true,
    },
  },
});
