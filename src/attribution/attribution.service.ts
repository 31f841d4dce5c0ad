import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Caller, Role } from '../kernel/auth/roles.js';
import { InvalidInput, NotAllowed, NotFound, RuleViolation } from '../kernel/errors/domain-errors.js';
import { isUuid, StateMachineEngine } from '../kernel/state-machine/state-machine.engine.js';
import { orderMachine } from '../orders/order.machine.js';
import { counts, decidingContact, type OrderContact, whyContactRefused } from './attribution-rules.js';
import type { AttributeOrderDto, OrderAttributionDto } from './dto/attribution.dto.js';

interface ContactRow {
  id: string;
  staff_id: string;
  contacted_at: Date;
  assist_only: boolean;
  order_changed: boolean;
  note: string | null;
  recorded_by: string | null;
  created_at: Date;
}

const toContact = (r: ContactRow): OrderContact => ({
  id: r.id, staffId: r.staff_id, contactedAt: r.contacted_at, assistOnly: r.assist_only, orderChanged: r.order_changed, createdAt: r.created_at,
});

/**
 * [002 订单归属] Contacts of agents with an order's customer, and the agent the order is
 * attributed to (orders.assignee_id, written through the order machine's `attribute` action so
 * the timeline and the case index follow). The contacts also show whether an unpaid order was
 * contacted within 20 minutes (值班流失单, the KPI sheet).
 */
@Injectable()
export class AttributionService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly engine: StateMachineEngine,
  ) {}

  async attribute(caller: Caller, orderId: string, dto: AttributeOrderDto): Promise<OrderAttributionDto> {
    const agentId = dto.agentId ?? caller.staffId;
    if (!agentId) throw new NotAllowed('only staff record contacts');
    // An agent claims only their own contacts; supervisors record anyone's (e.g. a dispute settled).
    if (caller.role === Role.Agent && agentId !== caller.staffId) throw new NotAllowed('an agent may record only their own contacts');
    const now = new Date();
    const contactedAt = dto.contactedAt ? new Date(dto.contactedAt) : now;
    if (Number.isNaN(contactedAt.getTime())) throw new InvalidInput('Validation failed', [{ field: 'contactedAt', errors: ['contactedAt is not a date'] }]);
    await this.db.transaction(async (m) => {
      const order = await this.lockOrder(m, caller.merchantId, orderId);
      const staff: unknown[] = await m.query(`SELECT 1 FROM staff WHERE id = $1 AND merchant_id = $2 AND active AND role IN ('agent','supervisor')`, [agentId, caller.merchantId]);
      if (!staff.length) throw new RuleViolation(`${agentId} is not an active agent or supervisor of this merchant`, { agentId });
      const why = whyContactRefused(contactedAt, order.paid_at, dto.orderChanged ?? false, now);
      if (why) throw new RuleViolation(why, { contactedAt: contactedAt.toISOString(), paidAt: order.paid_at?.toISOString() ?? null });
      const [row]: Array<{ id: string }> = await m.query(
        `INSERT INTO order_contacts (merchant_id, order_id, staff_id, contacted_at, assist_only, order_changed, note, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [caller.merchantId, orderId, agentId, contactedAt, dto.assistOnly ?? false, dto.orderChanged ?? false, dto.note ?? null, caller.staffId ?? null],
      );
      const deciding = decidingContact((await this.contactsOf(m, orderId)).map(toContact), order.paid_at);
      await this.engine.fire(orderMachine, orderId, 'attribute', caller, {
        manager: m, internal: true, input: { assigneeId: deciding?.staffId ?? null },
        data: { contactId: row.id, agentId, contactedAt: contactedAt.toISOString(), attributedTo: deciding?.staffId ?? null },
      });
    });
    return this.get(caller, orderId);
  }

  async get(caller: Caller, orderId: string): Promise<OrderAttributionDto> {
    if (!isUuid(orderId)) throw new NotFound('order', orderId);
    const [order]: Array<{ id: string; assignee_id: string | null; paid_at: Date | null }> = await this.db.query(
      'SELECT id, assignee_id, paid_at FROM orders WHERE id = $1 AND merchant_id = $2', [orderId, caller.merchantId],
    );
    if (!order) throw new NotFound('order', orderId);
    const rows = await this.contactsOf(this.db.manager, orderId);
    const cases: Array<{ machine: string; case_id: string; attributed_agent_id: string | null }> = await this.db.query(
      `SELECT machine, case_id, attributed_agent_id FROM case_index WHERE merchant_id = $1 AND order_id = $2 AND kind = 'case' ORDER BY opened_at, case_id`,
      [caller.merchantId, orderId],
    );
    const deciding = decidingContact(rows.map(toContact), order.paid_at);
    return {
      orderId,
      agentId: order.assignee_id,
      decidedBy: deciding?.id ?? null,
      paidAt: order.paid_at,
      contacts: rows.map((r) => ({
        id: r.id, agentId: r.staff_id, contactedAt: r.contacted_at, assistOnly: r.assist_only, orderChanged: r.order_changed,
        counts: counts(toContact(r), order.paid_at), note: r.note, recordedBy: r.recorded_by,
      })),
      cases: cases.map((c) => ({ module: c.machine, id: c.case_id, attributedAgentId: c.attributed_agent_id })),
    };
  }

  private async lockOrder(m: EntityManager, merchantId: string, orderId: string): Promise<{ paid_at: Date | null }> {
    if (!isUuid(orderId)) throw new NotFound('order', orderId);
    const [order]: Array<{ paid_at: Date | null }> = await m.query('SELECT paid_at FROM orders WHERE id = $1 AND merchant_id = $2 FOR UPDATE', [orderId, merchantId]);
    if (!order) throw new NotFound('order', orderId);
    return order;
  }

  private contactsOf(m: EntityManager, orderId: string): Promise<ContactRow[]> {
    return m.query(
      `SELECT id, staff_id, contacted_at, assist_only, order_changed, note, recorded_by, created_at FROM order_contacts
        WHERE order_id = $1 ORDER BY contacted_at, created_at, id`,
      [orderId],
    );
  }
}
