import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { Role } from '../../src/kernel/auth/roles.js';
import { DueSweeper } from '../../src/kernel/cases/due-sweeper.service.js';
import { bearer, createOtherMerchant, createShop, createStaff, newOrder, type ShopInfo, type StaffLogin } from '../support/factories.js';
import { insertPaidOrder, type PaidOrder } from '../support/fake-shopify.js';
import { jpegPhoto } from '../support/images.js';
import { multipartBody } from '../support/multipart.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';
const DAY = 86_400_000;
const SHAMPOO = { title: '洗发水 500ml', sku: 'SH-500', quantity: 2, unitPrice: 4_950 };
const CONDITIONER = { title: '护发素 300ml', sku: 'CD-300', quantity: 1, unitPrice: 3_900 };
let photoSeed = 7_000;

/**
 * GET /reports/after-sales-summary (SPEC §12) over a period seeded through the real APIs: every
 * figure is checked against the amounts the test itself put in (written out below), for all
 * shops, one shop, and a shop-local day of a New York shop.
 */
describe('after-sales summary: cases, refund rate, compensation, recoveries, SLA, complaints table, satisfaction, reviews', () => {
  let t: TestApp;
  let agent: StaffLogin;
  let supervisor: StaffLogin;
  let finance: StaffLogin;
  let shanghai: ShopInfo;
  let newYork: { id: string; name: string };
  /** New York local date of the two complaints dated around its midnight. */
  let nyDay: DateTime;

  const api = () => t.http();
  const post = (token: string, path: string, body: object = {}) => api().post(path).set(bearer(token)).send(body);
  const ok = async (res: Promise<{ status: number; body: any }> | { status: number; body: any }, status = 200) => {
    const r = await res;
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const claimOrder = (): Promise<PaidOrder> => insertPaidOrder(t, shanghai.id, { total: 13_800, lines: [SHAMPOO, CONDITIONER] });
  const recordManual = (refundId: string) => ok(post(finance.token, `/api/v1/refunds/${refundId}/record-manual`, { externalReference: `BANK-${randomUUID().slice(0, 8)}` }));
  /** A claim on a fresh order with photos, verified. */
  const verifiedClaim = async (type: string, reportedAt?: Date) => {
    const order = await claimOrder();
    const c = await ok(post(agent.token, '/api/v1/claims', { orderId: order.id, type, trackingNo: `YD${photoSeed}`, lines: [{ lineNo: 1, quantity: 2 }], ...(reportedAt ? { reportedAt: reportedAt.toISOString() } : {}) }), 201);
    const { body, contentType } = multipartBody(['item', 'outer_package'].map((k) => ({ name: k, filename: `${k}.jpg`, body: jpegPhoto(photoSeed++) })));
    await ok(api().post(`/api/v1/claims/${c.id}/evidence`).set(bearer(agent.token)).set('content-type', contentType).send(body), 201);
    await ok(post(agent.token, `/api/v1/claims/${c.id}/verify`, {}));
    return c.id as string;
  };
  const followUpOf = async (caseId: string) => {
    const items = (await ok(api().get(`/api/v1/follow-ups?sourceCaseId=${caseId}`).set(bearer(agent.token)))).items as Array<{ id: string }>;
    expect(items).toHaveLength(1);
    return items[0].id;
  };
  const complaint = (shopId: string, category: string, extra: object = {}) =>
    ok(post(agent.token, '/api/v1/complaints', { shopId, complainantName: '李四', channel: 'phone', content: '投诉内容', category, ...extra }), 201);
  const summary = (query: Record<string, string>, token = supervisor.token) => api().get('/api/v1/reports/after-sales-summary').query(query).set(bearer(token));

  beforeAll(async () => {
    // No background jobs: no sweeper marks or outbox runs between the seeding and the reading.
    t = await startTestApp({ env: { JOBS_ENABLED: 'false' } });
    [agent, supervisor, finance] = await Promise.all([createStaff(t, Role.Agent), createStaff(t, Role.Supervisor), createStaff(t, Role.Finance)]);
    // A shop name a spreadsheet would run as a formula.
    shanghai = await createShop(t, { platform: 'generic', name: '=SUM(A1:A9) 旗舰店', timezone: SH });
    newYork = await createShop(t, { platform: 'generic', name: 'NYC Outlet', timezone: NY });

    // C1 broken → reship (goods 21.00 + freight 8.00), carrier claimed 29.00, 20.00 recovered (partial). On time.
    const c1 = await verifiedClaim('broken');
    await ok(post(agent.token, `/api/v1/claims/${c1}/resolve`, { resolution: 'reship', reshipCost: 2_100, freightCost: 800 }));
    await ok(post(supervisor.token, `/api/v1/claims/${c1}/claim-carrier`, { amountClaimed: 2_900, carrierReference: 'YD-PC-1' }));
    await ok(post(finance.token, `/api/v1/claims/${c1}/recover`, { amountRecovered: 2_000 }));

    // C2 leak_minor reported ten days ago: its 16:00 deadline long passed, so it is resolved late.
    // Refund of 25 % of the affected lines (2 × 49.50) = 24.75, then closed.
    const c2 = await verifiedClaim('leak_minor', new Date(Date.now() - 10 * DAY));
    const r2 = await ok(post(agent.token, `/api/v1/claims/${c2}/resolve`, { resolution: 'refund', lossShare: 2_500, manual: true }));
    await recordManual(r2.refunds[0].id);
    expect((await ok(post(agent.token, `/api/v1/claims/${c2}/close`))).cost).toBe(2_475);

    // R1 refund-only return of 50.00, refunded.
    const retOrder = await insertPaidOrder(t, shanghai.id, { total: 20_000 });
    const r1 = await ok(post(agent.token, '/api/v1/returns', { orderId: retOrder.id, type: 'refund_only', reason: 'damaged', requestedAmount: 5_000 }), 201);
    await ok(post(agent.token, `/api/v1/returns/${r1.id}/approve`));
    const refunding = await ok(post(agent.token, `/api/v1/returns/${r1.id}/refund`));
    await recordManual(refunding.refunds[0].id);

    // V1 a 2★ review: reached, diagnosed, a 10.00 gift accepted, revised to 5★.
    const revOrder = await insertPaidOrder(t, shanghai.id, { total: 30_000 });
    const v1 = await ok(post(agent.token, '/api/v1/reviews', {
      shopId: shanghai.id, orderId: revOrder.platformOrderId, platformReviewId: `S-${randomUUID()}`, rating: 2, content: '不满意', reviewedAt: new Date(Date.now() - 3_600_000).toISOString(),
    }), 201);
    await ok(post(agent.token, `/api/v1/reviews/${v1.id}/log-contact`, { outcome: 'reached', channel: 'chat' }));
    await ok(post(agent.token, `/api/v1/reviews/${v1.id}/diagnose`, { rootCause: 'product_quality', serviceCaused: false }));
    await ok(post(agent.token, `/api/v1/reviews/${v1.id}/offer-remedy`, { type: 'gift', amount: 1_000, description: '赠送试用装' }));
    await ok(post(agent.token, `/api/v1/reviews/${v1.id}/accept`));
    expect(await ok(post(agent.token, `/api/v1/reviews/${v1.id}/revise`, { rating: 5, content: '满意' }))).toMatchObject({ status: 'closed', outcome: 'revised', cost: 1_000 });

    // K1 product quality → product department, plan of 30.00 carried out; K2 logistics → logistics department.
    const k1 = await complaint(shanghai.id, 'product_quality');
    await ok(post(agent.token, `/api/v1/complaints/${k1.id}/assess`, { founded: true, explanation: '属实' }));
    await ok(post(agent.token, `/api/v1/complaints/${k1.id}/assign-department`, { department: 'product' }));
    await ok(post(agent.token, `/api/v1/complaints/${k1.id}/propose`, { plan: '换新', costEstimate: 3_000 }));
    await ok(post(supervisor.token, `/api/v1/complaints/${k1.id}/approve`));
    expect((await ok(post(agent.token, `/api/v1/complaints/${k1.id}/implement`))).cost).toBe(3_000);
    const k2 = await complaint(shanghai.id, 'logistics');
    await ok(post(agent.token, `/api/v1/complaints/${k2.id}/assess`, { founded: true, explanation: '快递延误属实' }));
    await ok(post(agent.token, `/api/v1/complaints/${k2.id}/assign-department`, { department: 'logistics' }));

    // New York: two complaints either side of a local midnight ten days ago, never answered (open, overdue).
    nyDay = DateTime.now().setZone(NY).minus({ days: 10 }).startOf('day');
    await complaint(newYork.id, 'service_attitude', { severity: 'serious', reportedAt: nyDay.set({ hour: 0, minute: 30 }).toISO() });
    await complaint(newYork.id, 'service_attitude', { reportedAt: nyDay.minus({ minutes: 30 }).toISO() });

    // L1 a parcel lost in transit: the carrier does not answer, a reship (45.00), the original comes back with 10.00 from the carrier.
    const shipped = await newOrder(t, { shop: shanghai, status: 'shipped' });
    const parcels = await ok(api().get(`/api/v1/shipments?trackingNo=${shipped.trackingNo}`).set(bearer(agent.token)));
    const l1 = await ok(post(agent.token, '/api/v1/logistics-exceptions', { shipmentId: parcels.items[0].id, kind: 'lost' }), 201);
    await ok(post(agent.token, `/api/v1/logistics-exceptions/${l1.id}/escalate`, { reason: '快递丢件, 补发' }));
    await ok(post(agent.token, `/api/v1/logistics-exceptions/${l1.id}/reship`, { reshipCost: 4_500 }));
    await ok(post(agent.token, `/api/v1/logistics-exceptions/${l1.id}/recall`, { backOfficeMessage: '请网点退回原件' }));
    expect(await ok(post(agent.token, `/api/v1/logistics-exceptions/${l1.id}/close`, { outcome: 'original_returned', recovered: 1_000 }))).toMatchObject({ status: 'closed', cost: 4_500, recovered: 1_000 });

    // Follow-up calls of the three resolutions: claim satisfied, claim neutral, return satisfied.
    await ok(post(agent.token, `/api/v1/follow-ups/${await followUpOf(c1)}/record`, { result: 'satisfied' }));
    await ok(post(agent.token, `/api/v1/follow-ups/${await followUpOf(c2)}/record`, { result: 'neutral' }));
    await ok(post(agent.token, `/api/v1/follow-ups/${await followUpOf(r1.id)}/record`, { result: 'satisfied' }));
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The whole seeding, in Shanghai dates (the merchant's default zone) from 20 days back to 2 days ahead. */
  const wide = () => {
    const today = DateTime.now().setZone(SH).startOf('day');
    return { from: today.minus({ days: 20 }).toISODate()!, to: today.plus({ days: 2 }).toISODate()! };
  };

  it('all shops: every block as computed by hand', async () => {
    const res = await summary(wide());
    expect(res.status).toBe(200);
    const s = res.body;
    expect(s.shopId).toBeNull();
    expect(s.period.timezone).toBe('Asia/Shanghai');

    expect(s.cases).toEqual([
      { module: 'claim', type: 'broken', opened: 1, resolved: 1, closed: 1 },
      { module: 'claim', type: 'leak_minor', opened: 1, resolved: 1, closed: 1 },
      { module: 'complaint', type: 'logistics', opened: 1, resolved: 0, closed: 0 },
      { module: 'complaint', type: 'product_quality', opened: 1, resolved: 0, closed: 0 },
      { module: 'complaint', type: 'service_attitude', opened: 2, resolved: 0, closed: 0 },
      // reshipped = resolved; closed after the recall
      { module: 'logistics_exception', type: 'lost', opened: 1, resolved: 1, closed: 1 },
      { module: 'return', type: 'refund_only', opened: 1, resolved: 1, closed: 1 },
      // accepted remedy = resolved; the revision closes it
      { module: 'review', type: 'bad', opened: 1, resolved: 1, closed: 1 },
    ]);

    // Paid: the claim orders (2), the return's, the review's, the lost parcel's and the two reship orders = 7; refunded: C2's and R1's orders.
    expect(s.refundRate).toEqual({ paidOrders: 7, refundedOrders: 2, rate: 0.2857 });
    const rates = await api().get('/api/v1/reports/refund-rate').query(wide()).set(bearer(supervisor.token));
    expect(rates.body.overall).toEqual(s.refundRate);

    const refunds = 2_475 + 5_000;
    const reships = 2_100 + 800 + 4_500;
    const gifts = 1_000;
    const complaintRemedies = 3_000;
    const total = refunds + reships + gifts + complaintRemedies;
    expect(s.compensation).toEqual([{
      currency: 'CNY', refunds, refundCount: 2, reships, reshipCount: 2, gifts, giftCount: 1, complaintRemedies, complaintRemedyCount: 1,
      total, recovered: 2_000 + 1_000, net: total - 3_000,
    }]);
    expect(s.carrierRecoveries).toEqual([
      { module: 'claim', currency: 'CNY', claimsFiled: 1, amountClaimed: 2_900, casesRecovered: 1, recovered: 2_000, full: 0, partial: 1, none: 0 },
      { module: 'logistics_exception', currency: 'CNY', claimsFiled: 0, amountClaimed: 0, casesRecovered: 1, recovered: 1_000, full: 0, partial: 0, none: 0 },
    ]);

    expect(s.sla).toEqual([
      // C1 on time; C2's 16:00 deadline ten days ago had passed when its photos came
      { module: 'claim', finished: 2, onTime: 1, late: 1, complianceRate: 0.5, openOverdue: 0 },
      // the two New York complaints: first response due 12 business hours after a date ten days ago
      { module: 'complaint', finished: 0, onTime: 0, late: 0, complianceRate: null, openOverdue: 2 },
      // three calls recorded within their 3 days; the review's and the parcel's calls are open and not yet due
      { module: 'follow_up', finished: 3, onTime: 3, late: 0, complianceRate: 1, openOverdue: 0 },
      { module: 'logistics_exception', finished: 1, onTime: 1, late: 0, complianceRate: 1, openOverdue: 0 },
      { module: 'return', finished: 1, onTime: 1, late: 0, complianceRate: 1, openOverdue: 0 },
      { module: 'review', finished: 1, onTime: 1, late: 0, complianceRate: 1, openOverdue: 0 },
    ]);

    const row = (category: string, counts: Partial<Record<string, number>>) => ({
      category, service: 0, warehouse: 0, logistics: 0, product: 0, other: 0, unassigned: 0, total: 0, serious: 0, founded: 0, ...counts,
    });
    expect(s.complaints).toEqual([
      row('logistics', { logistics: 1, total: 1, founded: 1 }),
      row('product_quality', { product: 1, total: 1, founded: 1 }),
      row('service_attitude', { unassigned: 2, total: 2, serious: 1 }),
      row('total', { logistics: 1, product: 1, unassigned: 2, total: 4, serious: 1, founded: 2 }),
    ]);

    expect(s.followUpSatisfaction).toEqual([
      { module: 'claim', satisfied: 1, neutral: 1, unsatisfied: 0, answered: 2, satisfactionRate: 0.5 },
      { module: 'return', satisfied: 1, neutral: 0, unsatisfied: 0, answered: 1, satisfactionRate: 1 },
      { module: 'all', satisfied: 2, neutral: 1, unsatisfied: 0, answered: 3, satisfactionRate: 0.6667 },
    ]);
    expect(s.reviews).toEqual([
      { currency: 'CNY', received: 1, closed: 1, revised: 1, revisedFromBad: 1, revisedFromNeutral: 0, revisionRate: 1, revisedCost: 1_000, closedCost: 1_000 },
    ]);
  });

  it('shopId keeps to one shop; another merchant\'s shop is 404; agents may not read it', async () => {
    const a = (await summary({ ...wide(), shopId: shanghai.id })).body;
    expect(a.shopId).toBe(shanghai.id);
    expect(a.cases.filter((c: { module: string }) => c.module === 'complaint').map((c: { type: string }) => c.type)).toEqual(['logistics', 'product_quality']);
    expect(a.complaints.at(-1)).toMatchObject({ category: 'total', total: 2, serious: 0, unassigned: 0 });
    expect(a.sla.find((r: { module: string }) => r.module === 'complaint')).toEqual({ module: 'complaint', finished: 0, onTime: 0, late: 0, complianceRate: null, openOverdue: 0 });
    expect(a.compensation[0].total).toBe(2_475 + 5_000 + 2_900 + 4_500 + 1_000 + 3_000);

    const b = (await summary({ ...wide(), shopId: newYork.id })).body;
    expect(b.period.timezone).toBe(NY);
    expect(b.cases).toEqual([{ module: 'complaint', type: 'service_attitude', opened: 2, resolved: 0, closed: 0 }]);
    expect(b.refundRate).toEqual({ paidOrders: 0, refundedOrders: 0, rate: 0 });
    expect(b).toMatchObject({ compensation: [], carrierRecoveries: [], reviews: [] });
    // the tables with a total row keep it, at zero
    expect(b.followUpSatisfaction).toEqual([{ module: 'all', satisfied: 0, neutral: 0, unsatisfied: 0, answered: 0, satisfactionRate: null }]);

    const other = await createOtherMerchant(t);
    const foreign = await summary({ ...wide(), shopId: shanghai.id }, other.adminToken);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect((await summary(wide(), agent.token)).status).toBe(403);
    expect((await summary({ ...wide(), format: 'xlsx' })).status).toBe(400);
    expect((await summary({ from: wide().to, to: wide().from })).status).toBe(400);
  });

  it('periods are the shop\'s local days: the New York midnight splits the two complaints', async () => {
    const day = nyDay.toISODate()!;
    const next = nyDay.plus({ days: 1 }).toISODate()!;
    const res = await summary({ from: day, to: next, shopId: newYork.id });
    expect(res.body.period).toEqual({ from: nyDay.toISO({ suppressMilliseconds: true }), to: nyDay.plus({ days: 1 }).toISO({ suppressMilliseconds: true }), timezone: NY });
    // 00:30 that day is in; 23:30 the day before is not (it would be, read in UTC or Shanghai time)
    expect(res.body.complaints).toEqual([
      expect.objectContaining({ category: 'service_attitude', total: 1, serious: 1 }),
      expect.objectContaining({ category: 'total', total: 1 }),
    ]);
    const before = await summary({ from: nyDay.minus({ days: 1 }).toISODate()!, to: day, shopId: newYork.id });
    expect(before.body.complaints.at(-1)).toMatchObject({ category: 'total', total: 1, serious: 0 });
    // An offset-less time is the shop's wall clock too: from 00:31 leaves out the 00:30 complaint.
    const later = await summary({ from: `${day}T00:31`, to: next, shopId: newYork.id });
    expect(later.body.complaints).toEqual([expect.objectContaining({ category: 'total', total: 0, serious: 0 })]);
  });

  it('CSV: BOM, CRLF, a section per block, amounts as decimals, the formula-like shop name neutralised', async () => {
    const res = await summary({ ...wide(), shopId: shanghai.id, format: 'csv' }).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain(`after-sales-summary_SUM-A1-A9_${wide().from}_`);
    expect(res.headers['x-report-timezone']).toBe(SH);
    const text = (res.body as Buffer).toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const records: string[][] = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true });
    const section = (key: string) => {
      const k = records.findIndex((r) => r.length === 1 && r[0] === key);
      expect(k).toBeGreaterThanOrEqual(0);
      const header = records[k + 1];
      const rows: Array<Record<string, string>> = [];
      for (const r of records.slice(k + 2)) {
        if (r.length === 1) break;
        rows.push(Object.fromEntries(header.map((h, i) => [h, r[i]])));
      }
      return rows;
    };
    expect(records.filter((r) => r.length === 1).map((r) => r[0])).toEqual([
      'report', 'cases', 'refund_rate', 'compensation', 'carrier_recoveries', 'sla', 'complaints', 'follow_up_satisfaction', 'reviews',
    ]);
    expect(section('report')[0]).toMatchObject({ shop_id: shanghai.id, shop_name: "'=SUM(A1:A9) 旗舰店", timezone: SH });
    expect(section('compensation')[0]).toMatchObject({ currency: 'CNY', refunds: '74.75', refund_count: '2', reships: '74.00', gifts: '10.00', complaint_remedies: '30.00', total: '188.75', recovered: '30.00', net: '158.75' });
    expect(section('refund_rate')).toEqual([{ paid_orders: '7', refunded_orders: '2', rate: '0.2857' }]);
    expect(section('sla').find((r) => r.module === 'claim')).toEqual({ module: 'claim', finished: '2', on_time: '1', late: '1', compliance_rate: '0.5', open_overdue: '0' });
    expect(section('complaints').map((r) => [r.category, r.total])).toEqual([['logistics', '1'], ['product_quality', '1'], ['total', '2']]);
  });

  // Last: it sweeps every timer of the database.
  it('a missed deadline stays counted after the overdue mark is cleared; a timer step reaching its deadline is no breach', async () => {
    const shop = await createShop(t, { platform: 'generic', timezone: SH });
    const ix = async (id: string) => (await t.db.query('SELECT status, due_at, overdue_at, breached_at FROM case_index WHERE case_id = $1', [id]))[0];
    const act = (id: string, action: string, body: object = {}, token = agent.token) => ok(post(token, `/api/v1/complaints/${id}/${action}`, body));

    const late = await complaint(shop.id, 'price', { reportedAt: new Date(Date.now() - 10 * DAY).toISOString() });
    const missed = (await ix(late.id)).due_at as Date;
    expect(await t.app.get(DueSweeper).sweep(new Date())).toEqual(expect.arrayContaining([{ machine: 'complaint', id: late.id, outcome: 'marked' }]));
    expect(await ix(late.id)).toMatchObject({ overdue_at: expect.any(Date), breached_at: missed });
    await act(late.id, 'assess', { founded: true, explanation: '价格标错' });
    await act(late.id, 'assign-department', { department: 'service' });
    await act(late.id, 'propose', { plan: '补差价', costEstimate: 500 });
    await act(late.id, 'approve', {}, supervisor.token);
    await act(late.id, 'implement');
    await act(late.id, 'confirm', { acceptance: 'confirmed' });
    // resolved now; the step's mark is gone, the breach is not
    expect(await ix(late.id)).toMatchObject({ status: 'awaiting_follow_up', overdue_at: null, breached_at: missed });

    const explained = await complaint(shop.id, 'price');
    await act(explained.id, 'assess', { founded: false, explanation: '价格无误' });
    const wait = (await ix(explained.id)).due_at as Date;
    expect(await t.app.get(DueSweeper).sweep(new Date(wait.getTime() + 60_000))).toEqual(expect.arrayContaining([{ machine: 'complaint', id: explained.id, outcome: 'fired' }]));
    expect(await ix(explained.id)).toMatchObject({ status: 'closed', breached_at: null });

    const sla = (await summary({ ...wide(), shopId: shop.id })).body.sla;
    // the explanation closes three days on, after this period
    expect(sla.find((r: { module: string }) => r.module === 'complaint')).toEqual({ module: 'complaint', finished: 1, onTime: 0, late: 1, complianceRate: 0, openOverdue: 0 });
  });
});
