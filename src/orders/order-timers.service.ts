import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { systemCaller } from '../kernel/auth/roles.js';
import { Conflict } from '../kernel/errors/domain-errors.js';
import { JobsService } from '../kernel/jobs/jobs.service.js';
import { StateMachineEngine } from '../kernel/state-machine/state-machine.engine.js';
import { TaskKind } from '../tasks/task.entity.js';
import { TasksService } from '../tasks/tasks.service.js';
import { orderMachine, UNPAID_FOLLOW_UP_MINUTES } from './order.machine.js';
import { OrderStatus } from './order-status.js';
import { RelatedCasesRegistry } from './related-cases.js';

export const UNPAID_FOLLOW_UP_JOB = 'orders.unpaid-follow-up';
/** Scan completing delivered orders whose completion is due (whoever fired `deliver`). */
export const COMPLETE_DUE_JOB = 'orders.complete-due';
const COMPLETE_SCAN_BATCH = 500;

export interface OrderTimerData {
  orderId: string;
  merchantId: string;
  /** The instant the timer stands for (defaults to now); tests and on-demand runs pass it. */
  asOf?: string;
  [key: string]: unknown;
}

/**
 * The order's durable timers (pg-boss). Handlers are idempotent: they re-read the order and do
 * nothing when the work is moot or done.
 */
@Injectable()
export class OrderTimersService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
    private readonly engine: StateMachineEngine,
    private readonly tasks: TasksService,
    private readonly relatedCases: RelatedCasesRegistry,
  ) {}

  onModuleInit(): void {
    this.jobs.define<OrderTimerData>(UNPAID_FOLLOW_UP_JOB, (d) => this.followUpUnpaid(d));
    this.jobs.define<{ asOf?: string }>(COMPLETE_DUE_JOB, (d) => this.completeDue(d.asOf ? new Date(d.asOf) : new Date()).then(() => undefined));
    this.jobs.every(COMPLETE_DUE_JOB, '*/10 * * * *');
  }

  /** [002] 值班流失单: 20 minutes after the order was placed, a follow-up task if it is still unpaid. */
  async scheduleUnpaidFollowUp(manager: EntityManager, merchantId: string, orderId: string, placedAt: Date): Promise<void> {
    const startAfter = new Date(placedAt.getTime() + UNPAID_FOLLOW_UP_MINUTES * 60_000);
    await this.jobs.sendInTransaction(manager, UNPAID_FOLLOW_UP_JOB, { orderId, merchantId }, { startAfter, singletonKey: `unpaid:${orderId}` });
  }

  async followUpUnpaid(d: OrderTimerData): Promise<void> {
    const at = d.asOf ? new Date(d.asOf) : new Date();
    await this.db.transaction(async (manager) => {
      const rows: Array<{ status: OrderStatus; shop_id: string; order_number: string; placed_at: Date }> = await manager.query(
        'SELECT status, shop_id, order_number, placed_at FROM orders WHERE id = $1 AND merchant_id = $2',
        [d.orderId, d.merchantId],
      );
      const o = rows[0];
      if (!o || o.status !== OrderStatus.PendingPayment) return; // paid, cancelled or gone: nothing to chase
      if (at.getTime() < o.placed_at.getTime() + UNPAID_FOLLOW_UP_MINUTES * 60_000) return; // early run: the real timer comes
      await this.tasks.createOnce(manager, {
        merchantId: d.merchantId,
        shopId: o.shop_id,
        kind: TaskKind.UnpaidOrderFollowUp,
        subjectType: orderMachine.name,
        subjectId: d.orderId,
        title: `Follow up unpaid order ${o.order_number}`,
        dueAt: at,
        dedupeKey: d.orderId,
      });
    });
  }

  /**
   * Completes delivered orders whose completion is due (delivered_at + configured days, set as
   * due_at by `deliver`), unless a case about them is open; those are looked at again next run.
   * Returns the ids completed.
   */
  async completeDue(asOf: Date): Promise<string[]> {
    const due: Array<{ id: string; merchant_id: string }> = await this.db.query(
      'SELECT id, merchant_id FROM orders WHERE status = $1 AND due_at <= $2 ORDER BY due_at LIMIT $3',
      [OrderStatus.Delivered, asOf, COMPLETE_SCAN_BATCH],
    );
    const done: string[] = [];
    for (const o of due) if (await this.completeIfDue(o.merchant_id, o.id, asOf)) done.push(o.id);
    return done;
  }

  private async completeIfDue(merchantId: string, orderId: string, at: Date): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      const rows: Array<{ status: OrderStatus; due_at: Date | null }> = await manager.query('SELECT status, due_at FROM orders WHERE id = $1 FOR UPDATE', [orderId]);
      const o = rows[0];
      if (!o || o.status !== OrderStatus.Delivered || !o.due_at || at < o.due_at) return false;
      const openCases = (await this.relatedCases.listFor(manager, merchantId, orderId)).filter((c) => c.open).length;
      if (openCases > 0) return false;
      try {
        await this.engine.fire(orderMachine, orderId, 'complete', systemCaller(merchantId), { manager, now: at, input: { openCases } });
        return true;
      } catch (e) {
        if (e instanceof Conflict) return false;
        throw e;
      }
    });
  }
}
