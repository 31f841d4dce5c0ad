import { CaseIndex1764060000000 } from '../../migrations/1764060000000-CaseIndex.js';
import { SlaPause1764100000000 } from '../../migrations/1764100000000-SlaPause.js';
import { CaseSlaBreaches1764210000000 } from '../../migrations/1764210000000-CaseSlaBreaches.js';
import { DueSweeper } from '../../src/kernel/cases/due-sweeper.service.js';
import type { MachineDefinition } from '../../src/kernel/state-machine/machine.js';
import { logisticsExceptionMachine } from '../../src/logistics/logistics-exception.machine.js';
import { orderMachine } from '../../src/orders/order.machine.js';
import { returnMachine } from '../../src/returns/return.machine.js';
import { createShop } from '../support/factories.js';
import { insertPaidOrder } from '../support/fake-shopify.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const HOUR = 3600_000;

/**
 * Rows written before the case index existed: the migration indexes them with the tags and due
 * rules their machines declare, and the due sweeper then runs their timers.
 */
describe('migration 1764060000000-CaseIndex: backfill of existing cases and orders', () => {
  let t: TestApp;
  let shopId: string;

  beforeAll(async () => {
    // The scheduled sweep would race the explicit one below.
    t = await startTestApp({ env: { JOBS_ENABLED: 'false' } });
    shopId = (await createShop(t)).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const setOrder = (id: string, status: string, dueAt: Date | null) => t.db.query('UPDATE orders SET status = $2, due_at = $3 WHERE id = $1', [id, status, dueAt]);
  const timeline = (type: string, id: string, to: string, at: Date) =>
    t.db.query(
      `INSERT INTO timeline_events (merchant_id, subject_type, subject_id, at, actor_type, action, from_status, to_status, version) VALUES ($1, $2, $3, $4, 'system', 'x', NULL, $5, 1)`,
      [t.merchantId, type, id, at, to],
    );

  it('indexes every order and case as its machine says, then the sweeper runs their timers', async () => {
    const past = new Date(Date.now() - 2 * HOUR);
    const unpaid = await insertPaidOrder(t, shopId, { paid: false });
    await setOrder(unpaid.id, 'pending_payment', past);
    const delivered = await insertPaidOrder(t, shopId);
    await setOrder(delivered.id, 'delivered', past);
    const withReturn = await insertPaidOrder(t, shopId);
    await setOrder(withReturn.id, 'delivered', past);

    const [ret] = await t.db.query(
      `INSERT INTO return_cases (merchant_id, shop_id, order_id, status, version, type, reason, currency, requested_amount, due_at)
       SELECT merchant_id, shop_id, id, 'exchange_shipped', 4, 'exchange', 'wrong_item', 'CNY', 0, $2 FROM orders WHERE id = $1 RETURNING id`,
      [withReturn.id, past],
    );
    const resolvedAt = new Date(Date.now() - 3 * HOUR);
    await timeline('return', ret.id, 'exchange_shipped', resolvedAt);
    const [refunded] = await t.db.query(
      `INSERT INTO return_cases (merchant_id, shop_id, order_id, status, version, type, reason, currency, requested_amount)
       SELECT merchant_id, shop_id, id, 'refunded', 5, 'refund_only', 'damaged', 'CNY', 100 FROM orders WHERE id = $1 RETURNING id`,
      [delivered.id],
    );
    const [ship] = await t.db.query(`INSERT INTO shipments (merchant_id, shop_id, carrier, tracking_no) VALUES ($1, $2, 'yunda', 'BACKFILL-1') RETURNING id`, [t.merchantId, shopId]);
    const [urged] = await t.db.query(
      `INSERT INTO logistics_exceptions (merchant_id, shop_id, shipment_id, kind, status, version, source, reported_at, due_at)
       VALUES ($1, $2, $3, 'stale', 'urged', 2, 'scan', now(), $4) RETURNING id`,
      [t.merchantId, shopId, ship.id, past],
    );

    // as if the index had not existed when these rows were written
    const migration = new CaseIndex1764060000000();
    const qr = t.db.createQueryRunner();
    try {
      await migration.down(qr);
      await migration.up(qr);
      // later migrations that add to the table
      await new SlaPause1764100000000().up(qr);
      await new CaseSlaBreaches1764210000000().up(qr);
    } finally {
      await qr.release();
    }

    const ix = async (machine: string, id: string) => (await t.db.query('SELECT * FROM case_index WHERE machine = $1 AND case_id = $2', [machine, id]))[0];
    expect(await ix('order', unpaid.id)).toMatchObject({ kind: 'record', status: 'pending_payment', tags: ['waiting_customer'], on_due: { action: 'follow-up-unpaid' }, next_sweep_at: past });
    expect(await ix('order', delivered.id)).toMatchObject({ status: 'delivered', tags: ['open', 'resolved'], on_due: { action: 'complete' }, next_sweep_at: past });
    // a deadline passed before the index existed counts as marked already (no overdue event for old news)
    expect(await ix('return', ret.id)).toMatchObject({
      kind: 'case', order_id: withReturn.id, tags: ['open', 'resolved'], resolved_at: resolvedAt, closed_at: null, on_due: { mark: 'overdue' }, overdue_at: past, breached_at: past, next_sweep_at: null,
    });
    expect((await ix('return', refunded.id)).closed_at).not.toBeNull();
    expect(await ix('logistics_exception', urged.id)).toMatchObject({ tags: ['open'], on_due: { action: 'escalate' }, next_sweep_at: past });
    // the migration's tags are the machines' tags
    const declared: Array<[MachineDefinition, string, string]> = [
      [orderMachine, unpaid.id, 'pending_payment'], [returnMachine, ret.id, 'exchange_shipped'], [returnMachine, refunded.id, 'refunded'], [logisticsExceptionMachine, urged.id, 'urged'],
    ];
    for (const [machine, id, status] of declared) expect((await ix(machine.name, id)).tags).toEqual([...machine.states[status].tags]);

    const results = await t.app.get(DueSweeper).sweep(new Date());
    const outcome = (id: string) => results.find((r) => r.id === id)?.outcome;
    expect(outcome(unpaid.id)).toBe('fired');
    expect(outcome(delivered.id)).toBe('fired'); // its only case is closed
    expect(outcome(withReturn.id)).toBe('refused'); // an open return
    expect(outcome(ret.id)).toBeUndefined();
    expect(outcome(urged.id)).toBe('fired');
    const status = async (table: string, id: string) => (await t.db.query(`SELECT status FROM ${table} WHERE id = $1`, [id]))[0].status;
    expect(await status('orders', delivered.id)).toBe('completed');
    expect(await status('orders', withReturn.id)).toBe('delivered');
    expect(await status('logistics_exceptions', urged.id)).toBe('reship_required');
  });
});
