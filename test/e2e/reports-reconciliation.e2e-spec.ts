import { parse } from 'csv-parse/sync';
import { Role } from '../../src/kernel/auth/roles.js';
import { currencyExponent, formatMoney } from '../../src/kernel/money/money.js';
import { OutboxService } from '../../src/kernel/outbox/outbox.service.js';
import fc from 'fast-check';
import { neutraliseCell } from '../../src/reports/csv-safety.js';
import { moneySql, safeCellSql } from '../../src/reports/reconciliation-csv.sql.js';
import { bearer, createOtherMerchant, createShop, createStaff, type StaffLogin } from '../support/factories.js';
import { FakeShopify, insertPaidOrder, type PaidOrder } from '../support/fake-shopify.js';
import { postGeneric, postShopify, processDelivery } from '../support/platforms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const HYPERLINK = '=HYPERLINK("http://evil.example/x","点我退款")';

describe('refund reconciliation and refund rate (finance)', () => {
  let t: TestApp;
  let supervisor: StaffLogin;
  let agent: StaffLogin;
  let finance: StaffLogin;
  const shopify = new FakeShopify();
  let shop: { id: string; webhookSecret: string; name: string };
  let generic: { id: string; webhookSecret: string; name: string };
  const o: Record<string, PaidOrder> = {};
  const refundIds: Record<string, string> = {};
  let platformIds: Record<string, string>;
  let from: string;
  let to: string;

  const big = (n: number) => (820982911946154508n + BigInt(n) * 1_000_003n + BigInt(Date.now() % 100_000)).toString();
  const raw = (id: string) => `\u0000RAW:${id}\u0000`;

  beforeAll(async () => {
    await shopify.start();
    t = await startTestApp({ env: { JOBS_ENABLED: 'false', OUTBOX_BACKOFF_MS: '1' } });
    [supervisor, agent, finance] = await Promise.all([createStaff(t, Role.Supervisor), createStaff(t, Role.Agent), createStaff(t, Role.Finance)]);
    shop = await createShop(t, { platform: 'shopify', name: '+Shopify 旗舰店' });
    generic = await createShop(t, { platform: 'generic', name: '京东店' });
    await t.http().put(`/api/v1/refund-channels/${shop.id}`).set(bearer(t.adminToken)).send({ apiBaseUrl: shopify.baseUrl, accessToken: shopify.accessToken }).expect(200);
    from = new Date(Date.now() - 3600_000).toISOString();

    for (const [k, n] of [['A', 1], ['C', 2], ['D', 3], ['E', 4]] as const) {
      o[k] = await insertPaidOrder(t, shop.id, { total: 10_000, platformOrderId: big(n), customerName: k === 'E' ? HYPERLINK : `客户${k}` });
    }
    o.B = await insertPaidOrder(t, generic.id, { total: 10_000, platformOrderId: 'JD-20251123-0001' });
    o.F = await insertPaidOrder(t, generic.id, { total: 10_000, platformOrderId: 'JD-20251123-0002' });

    const goodwill = async (order: PaidOrder, amount: number, manual = false) => {
      const r = await t.http().post('/api/v1/refunds').set(bearer(supervisor.token)).send({ orderId: order.id, amount, reason: '补偿, "含运费"', manual });
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    refundIds.A = await goodwill(o.A, 1_234);
    refundIds.C = await goodwill(o.C, 4_500);
    refundIds.D = await goodwill(o.D, 1_500, true);
    refundIds.B = await goodwill(o.B, 2_000);
    await t.http().post(`/api/v1/refunds/${refundIds.B}/record-manual`).set(bearer(finance.token)).send({ externalReference: 'BANK-9' }).expect(200);
    // An agent's return, refunded by hand: counts in the agent's refund rate.
    const ret = await t.http().post('/api/v1/returns').set(bearer(agent.token)).send({ orderId: o.F.id, type: 'refund_only', reason: 'quality', requestedAmount: 500 });
    await t.http().post(`/api/v1/returns/${ret.body.id}/approve`).set(bearer(agent.token)).send({}).expect(200);
    const refunding = await t.http().post(`/api/v1/returns/${ret.body.id}/refund`).set(bearer(agent.token)).send({});
    refundIds.F = refunding.body.refunds[0].id;
    await t.http().post(`/api/v1/refunds/${refundIds.F}/record-manual`).set(bearer(finance.token)).send({ externalReference: 'WX-1' }).expect(200);

    const outbox = t.app.get(OutboxService);
    for (let i = 0; i < 20 && shopify.refunds.length < 2; i++) await outbox.dispatch();
    platformIds = { A: shopify.refundsOf(o.A.platformOrderId)[0].id, C: shopify.refundsOf(o.C.platformOrderId)[0].id };

    // The platforms report their side by signed webhooks (Shopify refunds/create, generic refund.created).
    const shopifyRefund = async (id: string, order: PaidOrder, amount: string) => {
      const now = new Date().toISOString();
      const body = { id: raw(id), order_id: raw(order.platformOrderId), created_at: now, processed_at: now, note: 'refund', restock: false, refund_line_items: [], transactions: [{ id: raw(big(99)), kind: 'refund', status: 'success', amount, currency: 'CNY', gateway: 'shopify_payments' }] };
      const res = await postShopify(t, shop.id, 'refunds/create', body, { secret: shop.webhookSecret });
      expect(res.status).toBe(200);
      await processDelivery(t, res.body.id);
    };
    await shopifyRefund(platformIds.A, o.A, '12.34');
    await shopifyRefund(platformIds.C, o.C, '40.00');
    await shopifyRefund(big(50), o.E, '9.99');
    const g = await postGeneric(t, generic.id, { id: 'evt-refund-1', topic: 'refund.created', data: { refundId: 'GR-1', orderId: o.B.platformOrderId, amount: '20.00', currency: 'CNY', refundedAt: new Date().toISOString() } }, { secret: generic.webhookSecret });
    expect(g.status).toBe(200);
    await processDelivery(t, g.body.id);
    to = new Date(Date.now() + 3600_000).toISOString();
  });
  afterAll(async () => {
    await t?.close();
    await shopify.stop();
  });

  const report = (token: string, query: Record<string, string>) => t.http().get('/api/v1/reports/refund-reconciliation').query(query).set(bearer(token));

  it('platform refunds arriving by signed webhook are stored as the platform side of the ledger', async () => {
    const rows = await t.db.query('SELECT shop_id, platform_refund_id, amount::int AS amount, order_id FROM platform_refunds ORDER BY amount');
    expect(rows).toEqual([
      { shop_id: shop.id, platform_refund_id: expect.any(String), amount: 999, order_id: o.E.id },
      { shop_id: shop.id, platform_refund_id: platformIds.A, amount: 1_234, order_id: o.A.id },
      { shop_id: generic.id, platform_refund_id: 'GR-1', amount: 2_000, order_id: o.B.id },
      { shop_id: shop.id, platform_refund_id: platformIds.C, amount: 4_000, order_id: o.C.id },
    ]);
  });

  it('matches every refund with the platform: all four results, exact totals per result and overall', async () => {
    const res = await report(finance.token, { from, to });
    expect(res.status).toBe(200);
    const byOrder = Object.fromEntries(res.body.rows.map((r: { platformOrderId: string }) => [r.platformOrderId, r]));
    expect(res.body.rows).toHaveLength(6);
    expect(byOrder[o.A.platformOrderId]).toMatchObject({ matchResult: 'matched', refundId: refundIds.A, platformRefundId: platformIds.A, internalAmount: 1_234, platformAmount: 1_234, status: 'succeeded', sourceType: 'goodwill', shopName: '+Shopify 旗舰店' });
    expect(byOrder[o.B.platformOrderId]).toMatchObject({ matchResult: 'matched', refundId: refundIds.B, platformRefundId: 'GR-1', internalAmount: 2_000, platformAmount: 2_000 });
    expect(byOrder[o.C.platformOrderId]).toMatchObject({ matchResult: 'amount_mismatch', refundId: refundIds.C, platformRefundId: platformIds.C, internalAmount: 4_500, platformAmount: 4_000 });
    expect(byOrder[o.D.platformOrderId]).toMatchObject({ matchResult: 'missing_on_platform', refundId: refundIds.D, platformRefundId: null, internalAmount: 1_500, platformAmount: null, status: 'pending' });
    expect(byOrder[o.E.platformOrderId]).toMatchObject({ matchResult: 'missing_internally', refundId: null, internalAmount: null, platformAmount: 999, orderId: o.E.id, orderNumber: o.E.orderNumber, customerName: HYPERLINK });
    expect(byOrder[o.F.platformOrderId]).toMatchObject({ matchResult: 'missing_on_platform', refundId: refundIds.F, sourceType: 'return', internalAmount: 500 });
    expect(res.body.totals).toEqual([
      { matchResult: 'matched', currency: 'CNY', count: 2, internalAmount: 3_234, platformAmount: 3_234, difference: 0 },
      { matchResult: 'amount_mismatch', currency: 'CNY', count: 1, internalAmount: 4_500, platformAmount: 4_000, difference: 500 },
      { matchResult: 'missing_on_platform', currency: 'CNY', count: 2, internalAmount: 2_000, platformAmount: 0, difference: 2_000 },
      { matchResult: 'missing_internally', currency: 'CNY', count: 1, internalAmount: 0, platformAmount: 999, difference: -999 },
      { matchResult: 'all', currency: 'CNY', count: 6, internalAmount: 9_734, platformAmount: 8_233, difference: 1_501 },
    ]);
    const one = await report(finance.token, { from, to, shopId: generic.id });
    expect(one.body.rows.map((r: { refundId: string }) => r.refundId).sort()).toEqual([refundIds.B, refundIds.F].sort());
  });

  it('CSV: UTF-8 with BOM, CRLF, RFC 4180 quoting; parsed back it equals the JSON rows; formulas arrive neutralised', async () => {
    const json = (await report(finance.token, { from, to })).body;
    const res = await report(finance.token, { from, to, format: 'csv' }).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="refund-reconciliation_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.split('\r\n')[0]).toBe('\uFEFFrecord,shop_id,shop_name,order_id,order_number,platform_order_id,customer_name,refund_id,platform_refund_id,internal_amount,platform_amount,currency,reason,source_type,source_id,responsibility,status,created_at,platform_refunded_at,match_result,count,difference');
    expect(text).toContain('"补偿, ""含运费"""');

    const records = parse(text, { bom: true, columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
    const refunds = records.filter((r) => r.record === 'refund');
    const csvText = (v: string | null) => (v === null ? '' : neutraliseCell(v));
    const money = (v: number | null, c: string) => (v === null ? '' : formatMoney(v, c));
    expect(refunds).toEqual(
      json.rows.map((r: Record<string, string | number | null>) => ({
        record: 'refund',
        shop_id: r.shopId,
        shop_name: csvText(r.shopName as string),
        order_id: csvText(r.orderId as string | null),
        order_number: csvText(r.orderNumber as string | null),
        platform_order_id: r.platformOrderId,
        customer_name: csvText(r.customerName as string | null),
        refund_id: csvText(r.refundId as string | null),
        platform_refund_id: csvText(r.platformRefundId as string | null),
        internal_amount: money(r.internalAmount as number | null, r.currency as string),
        platform_amount: money(r.platformAmount as number | null, r.currency as string),
        currency: r.currency,
        reason: csvText(r.reason as string | null),
        source_type: csvText(r.sourceType as string | null),
        source_id: csvText(r.sourceId as string | null),
        responsibility: csvText(r.responsibility as string | null),
        status: csvText(r.status as string | null),
        created_at: csvText(r.createdAt as string | null),
        platform_refunded_at: csvText(r.platformRefundedAt as string | null),
        match_result: r.matchResult,
        count: '',
        difference: '',
      })),
    );
    const evil = refunds.find((r) => r.match_result === 'missing_internally')!;
    expect(evil.customer_name).toBe(`'${HYPERLINK}`);
    expect(refunds.every((r) => r.shop_name !== '+Shopify 旗舰店')).toBe(true);
    expect(refunds.filter((r) => r.shop_name === "'+Shopify 旗舰店")).toHaveLength(4);

    // The totals rows carry the JSON totals' difference (internal − platform), as decimals like the amounts.
    const totals = records.filter((r) => r.record === 'total');
    expect(totals.map((r) => [r.match_result, r.currency, r.count, r.internal_amount, r.platform_amount, r.difference])).toEqual(
      json.totals.map((x: { matchResult: string; currency: string; count: number; internalAmount: number; platformAmount: number; difference: number }) => [
        x.matchResult, x.currency, String(x.count), formatMoney(x.internalAmount, x.currency), formatMoney(x.platformAmount, x.currency), formatMoney(x.difference, x.currency),
      ]),
    );
    expect(totals.at(-1)).toMatchObject({ match_result: 'all', internal_amount: '97.34', platform_amount: '82.33', count: '6', difference: '15.01' });
    expect(totals.find((r) => r.match_result === 'missing_internally')).toMatchObject({ difference: '-9.99' });
  });

  it('neutralises every formula start, but leaves plain numbers alone — in the SQL that writes the CSV as in neutraliseCell', async () => {
    for (const c of ['=1+1', '+1+1', '-1+1', '@SUM(A1)', '\tcmd', '\rcmd']) expect(neutraliseCell(c)).toBe(`'${c}`);
    expect(neutraliseCell('-5.00')).toBe('-5.00');
    expect(neutraliseCell('12.34')).toBe('12.34');
    expect(neutraliseCell('退款')).toBe('退款');
    const samples = ['=1+1', '+1+1', '-1+1', '@SUM(A1)', '\tcmd', '\rcmd', '-5.00', '12.34', '+7', '退款', '', 'a=b', "'quoted", '-', '-.5'];
    const random = fc.sample(fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '1', '.', 'a', '退') }), 300);
    const values = [...samples, ...random];
    const rows: Array<{ v: string; out: string }> = await t.db.query(`SELECT v, ${safeCellSql('v')} AS out FROM unnest($1::text[]) v`, [values]);
    for (const r of rows) expect(r.out).toBe(neutraliseCell(r.v));
  });

  it('writes CSV amounts exactly like formatMoney, for any minor amount and currency exponent', async () => {
    const cases = fc.sample(fc.tuple(fc.integer({ min: -1e13, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom('CNY', 'JPY', 'KWD', 'USD', 'KRW')), 300);
    const exp = (c: string) => currencyExponent(c);
    const rows: Array<{ out: string }> = await t.db.query(
      `SELECT ${moneySql('a', 'e', 'd')} AS out FROM unnest($1::bigint[], $2::int[], $3::numeric[]) WITH ORDINALITY AS x(a, e, d, k) ORDER BY k`,
      [cases.map(([a]) => String(a)), cases.map(([, c]) => (exp(c) === 2 ? null : exp(c))), cases.map(([, c]) => (exp(c) === 2 ? null : String(10 ** exp(c))))],
    );
    expect(rows.map((r) => r.out)).toEqual(cases.map(([a, c]) => formatMoney(a, c)));
  });

  it('finance and admin read the report; agents and supervisors get 403; bad periods 400; another merchant\'s shop 404', async () => {
    expect((await report(t.adminToken, { from, to })).status).toBe(200);
    expect((await report(agent.token, { from, to })).status).toBe(403);
    expect((await report(supervisor.token, { from, to, format: 'csv' })).status).toBe(403);
    expect((await report(finance.token, { from: to, to: from })).status).toBe(400);
    expect((await report(finance.token, { from: 'yesterday', to })).status).toBe(400);
    expect((await report(finance.token, { from, to, format: 'xlsx' })).status).toBe(400);
    expect((await report(finance.token, { from, to, unknown: '1' })).status).toBe(400);
    const other = await createOtherMerchant(t);
    expect((await report(other.adminToken, { from, to, shopId: shop.id })).status).toBe(404);
    expect((await report(other.adminToken, { from, to })).body.rows).toEqual([]);
  });

  it('refund rate (退款率) per shop and per agent: refunded orders / paid orders', async () => {
    const res = await t.http().get('/api/v1/reports/refund-rate').query({ from, to }).set(bearer(finance.token));
    expect(res.status).toBe(200);
    expect(res.body.overall).toEqual({ paidOrders: 6, refundedOrders: 4, rate: 0.6667 });
    const shops = Object.fromEntries(res.body.shops.map((s: { shopId: string }) => [s.shopId, s]));
    expect(shops[shop.id]).toMatchObject({ paidOrders: 4, refundedOrders: 2, rate: 0.5 });
    expect(shops[generic.id]).toMatchObject({ paidOrders: 2, refundedOrders: 2, rate: 1 });
    expect(res.body.agents).toEqual([{ agentId: agent.id, agentName: expect.any(String), paidOrders: 6, refundedOrders: 1, rate: 0.1667 }]);
    expect((await t.http().get('/api/v1/reports/refund-rate').query({ from, to }).set(bearer(agent.token))).status).toBe(403);
  });
});
