import { Role } from '../../src/kernel/auth/roles.js';
import { bearer, createShop, createStaff, type StaffLogin } from '../support/factories.js';
import { insertPaidOrder, type PaidOrderSpec } from '../support/fake-shopify.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** SPEC §7 Lines: a return names order lines by any id the order detail shows; receive counts per line. */
describe('returns with lines: addressed by id, lineNo or platformLineId; received per line; closed without refund', () => {
  let t: TestApp;
  let agent: StaffLogin;
  let warehouse: StaffLogin;
  let shopId: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { JOBS_ENABLED: 'false' } });
    [agent, warehouse] = await Promise.all([createStaff(t, Role.Agent), createStaff(t, Role.Warehouse)]);
    shopId = (await createShop(t, { platform: 'shopify' })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = (body: object) => t.http().post('/api/v1/returns').set(bearer(agent.token)).send(body);
  const act = (token: string, id: string, action: string, body: object = {}) => t.http().post(`/api/v1/returns/${id}/${action}`).set(bearer(token)).send(body);
  // Shopify's line item ids (above 2^53), as orders/create writes them into order lines.
  const threeLines: PaidOrderSpec['lines'] = [
    { title: 'IPod Nano - 8GB - Pink', sku: 'IPOD-PINK', quantity: 2, unitPrice: 19_900, platformLineId: '866550311766439020' },
    { title: 'IPod Nano - 8GB - Black', sku: 'IPOD-BLACK', quantity: 1, unitPrice: 19_900, platformLineId: '866550311766439021' },
    { title: 'Earbuds', sku: 'EAR-1', quantity: 3, unitPrice: 2_000, platformLineId: '866550311766439022' },
  ];
  const order3 = () => insertPaidOrder(t, shopId, { total: 65_700, lines: threeLines });

  it('the order detail shows each line\'s id, lineNo and platformLineId', async () => {
    const order = await order3();
    const detail = await t.http().get(`/api/v1/orders/${order.id}`).set(bearer(agent.token));
    expect(detail.status).toBe(200);
    expect(detail.body.lines.map((l: { id: string; lineNo: number; platformLineId: string }) => [l.id, l.lineNo, l.platformLineId])).toEqual([
      [order.lineIds[0], 1, '866550311766439020'],
      [order.lineIds[1], 2, '866550311766439021'],
      [order.lineIds[2], 3, '866550311766439022'],
    ]);
  });

  it('a return names its lines by platformLineId, by lineNo (number or digits) and by uuid, each with its own reason', async () => {
    const order = await order3();
    const c = await create({
      orderId: order.platformOrderId,
      type: 'return_refund',
      reason: 'quality',
      requestedAmount: 25_900,
      lines: [
        { orderLineId: '866550311766439020', quantity: 1, reason: 'damaged' },
        { orderLineId: 2, quantity: 1 },
        { orderLineId: order.lineIds[2], quantity: 3, reason: 'wrong_item' },
      ],
    });
    expect(c.status).toBe(201);
    expect(c.body.lines.map((l: Record<string, unknown>) => [l.orderLineId, l.lineNo, l.platformLineId, l.quantity, l.reason])).toEqual([
      [order.lineIds[0], 1, '866550311766439020', 1, 'damaged'],
      [order.lineIds[1], 2, '866550311766439021', 1, 'quality'],
      [order.lineIds[2], 3, '866550311766439022', 3, 'wrong_item'],
    ]);
    const byDigits = await create({ orderId: order.id, type: 'return_refund', reason: 'changed_mind', requestedAmount: 2_000, lines: [{ orderLineId: '3', quantity: 1 }] });
    expect(byDigits.status).toBe(201);
    expect(byDigits.body.lines[0]).toMatchObject({ orderLineId: order.lineIds[2], lineNo: 3, reason: 'changed_mind' });
    // Shopify's admin shows the GraphQL id of a line item; it names the same line.
    const byGid = await create({ orderId: order.id, type: 'exchange', reason: 'wrong_item', lines: [{ orderLineId: 'gid://shopify/LineItem/866550311766439021', quantity: 1 }] });
    expect(byGid.status).toBe(201);
    expect(byGid.body.lines[0].orderLineId).toBe(order.lineIds[1]);
  });

  it('a reference matching two lines (a lineNo and another line\'s platformLineId) is refused 422 naming both; unknown 422; twice 400; bad shapes 400', async () => {
    const order = await insertPaidOrder(t, shopId, {
      total: 3_000,
      lines: [
        { title: 'Green tea', quantity: 1, unitPrice: 1_000, platformLineId: '2' },
        { title: 'Black tea', quantity: 2, unitPrice: 1_000, platformLineId: 'WOO-77' },
      ],
    });
    const body = (lines: object[]) => ({ orderId: order.id, type: 'return_refund', reason: 'quality', requestedAmount: 1_000, lines });
    const ambiguous = await create(body([{ orderLineId: 2, quantity: 1 }]));
    expect(ambiguous.status).toBe(422);
    expect(ambiguous.body.message).toContain('order line 2 is ambiguous');
    expect(ambiguous.body.message).toContain('line 1 "Green tea"');
    expect(ambiguous.body.message).toContain('line 2 "Black tea"');
    expect(ambiguous.body.details.candidates.map((c: { id: string }) => c.id).sort()).toEqual([...order.lineIds].sort());
    expect((await create(body([{ orderLineId: 'WOO-77', quantity: 1 }]))).status).toBe(201);
    const unknown = await create(body([{ orderLineId: 'WOO-78', quantity: 1 }]));
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toContain(`order line WOO-78 is not a line of order ${order.orderNumber}`);
    const twice = await create(body([{ orderLineId: order.lineIds[1], quantity: 1 }, { orderLineId: 'WOO-77', quantity: 1 }]));
    expect(twice.status).toBe(400);
    expect(twice.body.details[0].errors[0]).toContain('listed twice');
    for (const bad of [0, -1, 1.5, '', true, 2 ** 60, { id: 1 }]) {
      const res = await create(body([{ orderLineId: bad, quantity: 1 }]));
      expect(res.status).toBe(400);
      expect(res.body.details[0].field).toBe('lines.0.orderLineId');
    }
    const missing = await create(body([{ quantity: 1 }]));
    expect(missing.body.details).toEqual([{ field: 'lines.0.orderLineId', errors: ['lines.0.orderLineId is required'] }]);
    expect((await create(body([{ orderLineId: 'WOO-77', quantity: 1, reason: 'bored' }]))).status).toBe(400);
    const count = await t.db.query('SELECT count(*)::int AS n FROM return_cases WHERE order_id = $1', [order.id]);
    expect(count[0].n).toBe(1);
  });

  it('receive with restock / damaged / missing → partially_received; the rest arrives → received; miscounts 422 change nothing', async () => {
    const order = await order3();
    const c = await create({
      orderId: order.id, type: 'return_refund', reason: 'quality', requestedAmount: 45_800,
      lines: [{ orderLineId: 1, quantity: 2 }, { orderLineId: 3, quantity: 3 }],
    });
    await act(agent.token, c.body.id, 'approve').expect(200);
    const [pink, earbuds] = c.body.lines as Array<{ id: string }>;

    const over = await act(warehouse.token, c.body.id, 'receive', { returnTrackingNo: 'YT100', lines: [{ returnLineId: pink.id, restock: 2, damaged: 1 }] });
    expect(over.status).toBe(422);
    expect(over.body.message).toBe('line 1 "IPod Nano - 8GB - Pink" asks 2 unit(s) back; 3 would be accounted for');
    const wrongMissing = await act(warehouse.token, c.body.id, 'receive', { returnTrackingNo: 'YT100', lines: [{ orderLineId: 3, restock: 1, missing: 0 }] });
    expect(wrongMissing.status).toBe(422);
    expect(wrongMissing.body.message).toBe('line 3 "Earbuds": 3 unit(s), 1 restock + 0 damaged leaves 2 missing, not 0');
    const notInReturn = await act(warehouse.token, c.body.id, 'receive', { returnTrackingNo: 'YT100', lines: [{ orderLineId: 2, restock: 1 }] });
    expect(notInReturn.status).toBe(422);
    const both = await act(warehouse.token, c.body.id, 'receive', { returnTrackingNo: 'YT100', lines: [{ returnLineId: pink.id, orderLineId: 1, restock: 1 }] });
    expect(both.status).toBe(400);
    const unchanged = await t.http().get(`/api/v1/returns/${c.body.id}`).set(bearer(agent.token));
    expect(unchanged.body).toMatchObject({ status: 'awaiting_return', version: 2 });

    // The first parcel: both pink units (one broken), one of three earbuds.
    const partial = await act(warehouse.token, c.body.id, 'receive', {
      returnTrackingNo: 'YT100',
      returnCarrier: '圆通',
      lines: [
        { returnLineId: pink.id, restock: 1, damaged: 1, missing: 0 },
        { orderLineId: '866550311766439022', restock: 1, missing: 2 },
      ],
    });
    expect(partial.status).toBe(200);
    expect(partial.body.status).toBe('partially_received');
    expect(partial.body.lines.map((l: Record<string, unknown>) => [l.id, l.restocked, l.damaged, l.missing])).toEqual([
      [pink.id, 1, 1, 0],
      [earbuds.id, 1, 0, 2],
    ]);
    expect(partial.body.allowedActions).toEqual(['receive', 'inspect', 'note']);
    const agentView = await t.http().get(`/api/v1/returns/${c.body.id}`).set(bearer(agent.token));
    expect(agentView.body.allowedActions).toEqual(['close', 'assign', 'note']);

    // The rest arrives in a second parcel: the earbuds line is now complete → received.
    const rest = await act(warehouse.token, c.body.id, 'receive', { returnTrackingNo: 'YT200', lines: [{ returnLineId: earbuds.id, damaged: 2, missing: 0 }] });
    expect(rest.status).toBe(200);
    expect(rest.body.status).toBe('received');
    expect(rest.body.returnTrackingNo).toBe('YT200');
    expect(rest.body.lines.map((l: Record<string, unknown>) => [l.restocked, l.damaged, l.missing])).toEqual([
      [1, 1, 0],
      [1, 2, 0],
    ]);
    expect(rest.body.timeline.map((e: { action: string; to: string }) => `${e.action}>${e.to}`)).toEqual([
      'create>requested', 'approve>awaiting_return', 'receive>partially_received', 'receive>received',
    ]);
    expect((await act(warehouse.token, c.body.id, 'receive', { returnTrackingNo: 'YT300' })).status).toBe(409);
  });

  it('a line not listed on the first receive counts as missing; without lines every outstanding unit is restocked', async () => {
    const order = await order3();
    const c = await create({ orderId: order.id, type: 'exchange', reason: 'wrong_item', lines: [{ orderLineId: 1, quantity: 1 }, { orderLineId: 2, quantity: 1 }] });
    await act(agent.token, c.body.id, 'approve').expect(200);
    const first = await act(warehouse.token, c.body.id, 'receive', { returnTrackingNo: 'SF1', lines: [{ orderLineId: 1, restock: 1 }] });
    expect(first.body.status).toBe('partially_received');
    expect(first.body.lines.map((l: { missing: number }) => l.missing)).toEqual([0, 1]);
    const second = await act(warehouse.token, c.body.id, 'receive', { returnTrackingNo: 'SF2' });
    expect(second.body.status).toBe('received');
    expect(second.body.lines.map((l: Record<string, unknown>) => [l.restocked, l.missing])).toEqual([
      [1, 0],
      [1, 0],
    ]);
  });

  it('a received (or partially received) return is closed without a refund, with a reason; closed is final', async () => {
    const order = await order3();
    const c = await create({ orderId: order.id, type: 'return_refund', reason: 'damaged', requestedAmount: 19_900, lines: [{ orderLineId: 2, quantity: 1 }] });
    await act(agent.token, c.body.id, 'approve').expect(200);
    expect((await act(agent.token, c.body.id, 'close', { reason: 'too early' })).status).toBe(409);
    await act(warehouse.token, c.body.id, 'receive', { returnTrackingNo: 'JT1', lines: [{ orderLineId: 2, damaged: 1 }] }).expect(200);
    expect((await act(warehouse.token, c.body.id, 'close', { reason: 'x' })).status).toBe(403);
    const noReason = await act(agent.token, c.body.id, 'close', {});
    expect(noReason.body.details).toEqual([{ field: 'reason', errors: ['reason is required'] }]);
    const closed = await act(agent.token, c.body.id, 'close', { reason: '已补发新品，无需退款', note: 'Medusa #4052' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closeReason: '已补发新品，无需退款', dueAt: null, refunds: [], cost: 0 });
    expect(closed.body.allowedActions).toEqual(['note']);
    expect((await act(agent.token, c.body.id, 'refund')).status).toBe(409);
    const [index] = await t.db.query(`SELECT tags, closed_at, resolved_at FROM case_index WHERE machine = 'return' AND case_id = $1`, [c.body.id]);
    expect(index.tags).toEqual(['closed', 'resolved']);
    expect(index.closed_at).not.toBeNull();

    const c2 = await create({ orderId: order.id, type: 'exchange', reason: 'missing_item', lines: [{ orderLineId: 3, quantity: 2 }] });
    await act(agent.token, c2.body.id, 'approve').expect(200);
    await act(warehouse.token, c2.body.id, 'receive', { returnTrackingNo: 'JT2', lines: [{ orderLineId: 3, restock: 1 }] }).expect(200);
    const closed2 = await act(agent.token, c2.body.id, 'close', { reason: '客户不再寄回剩余商品' });
    expect(closed2.body.status).toBe('closed');
  });
});
