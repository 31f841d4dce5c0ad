import { jest } from '@jest/globals';
import { DateTime } from 'luxon';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner.js';
import { Role } from '../../src/kernel/auth/roles.js';
import { bearer, createOtherMerchant, createStaff, newOrder, newShop, type NewOrder, type ShopInfo, type StaffLogin } from '../support/factories.js';
import { jpegPhoto, pngImage } from '../support/images.js';
import { multipartBody } from '../support/multipart.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** [002 售后日工作流程] the sections in the order of the day (docs/worklist.md). */
const ORDER = [
  'refunds_in_progress', 'complaints', 'finance_confirmation', 'carried_over', 'new_bad_reviews', 'bad_reviews_without_reply',
  'reviews_awaiting_contact', 'late_or_unshipped_orders', 'due_soon_or_overdue', 'follow_ups_due', 'suspected_photo_reuse',
];

interface Item {
  module: string;
  collection: string;
  id: string;
  shopId: string | null;
  orderId: string | null;
  orderNo: string | null;
  status: string;
  assigneeId: string | null;
  openedAt: string;
  dueAt: string | null;
  overdue: boolean;
  title: string;
}
interface Section {
  key: string;
  step: number;
  title: string;
  titleEn: string;
  count: number;
  nextBatchAt: string | null;
  items: Item[];
}
interface Worklist {
  date: string;
  timezone: string;
  generatedAt: string;
  shopId: string | null;
  assigneeId: string | null;
  sections: Section[];
}

const localDate = (zone: string, plusDays = 0) => DateTime.now().setZone(zone).plus({ days: plusDays }).toISODate()!;

describe('the daily worklist (SPEC §11, [002] 售后日工作流程)', () => {
  let t: TestApp;
  let agentA: StaffLogin;
  let agentB: StaffLogin;
  let finance: StaffLogin;
  let warehouse: StaffLogin;
  let sh: ShopInfo;
  let ny: ShopInfo;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOGISTICS_SCAN_CRON: '0 0 1 1 *' } });
    [agentA, agentB, finance, warehouse] = await Promise.all([
      createStaff(t, Role.Agent, { name: '客服 小王' }),
      createStaff(t, Role.Agent, { name: '客服 小李' }),
      createStaff(t, Role.Finance),
      createStaff(t, Role.Warehouse),
    ]);
    [sh, ny] = [await newShop(t, { timezone: SH }), await newShop(t, { timezone: NY })];
    // 审单 checks the carrier serves the destination (the factories' orders ship to 广东省).
    const cov = await t.http().put('/api/v1/settings/carrier-coverage').set(bearer(t.adminToken)).send({ carriers: [{ carrier: 'SF', provinces: ['广东省'] }] });
    expect(cov.status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  const api = () => t.http();
  const worklist = async (query: Record<string, string>, token = agentA.token): Promise<Worklist> => {
    const res = await api().get('/api/v1/worklist').query(query).set(bearer(token));
    expect(res.status).toBe(200);
    return res.body as Worklist;
  };
  const section = (w: Worklist, key: string) => w.sections.find((s) => s.key === key)!;
  const ids = (w: Worklist, key: string) => section(w, key).items.map((i) => i.id);
  const post = async (path: string, body: object, token = agentA.token, status = [200, 201]) => {
    const res = await api().post(path).set(bearer(token)).send(body);
    if (!status.includes(res.status)) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const upload = async (path: string, parts: Array<{ name: string; filename: string; body: Buffer }>, token = agentA.token) => {
    const { body, contentType } = multipartBody(parts);
    const res = await api().post(path).set(bearer(token)).set('content-type', contentType).send(body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const review = (shop: ShopInfo, rating: number, reviewedAt: Date, token = agentA.token) =>
    post('/api/v1/reviews', { shopId: shop.id, rating, content: rating <= 3 ? '漏液了，差评' : '很好', reviewedAt: reviewedAt.toISOString() }, token);
  const complaint = (shop: ShopInfo, extra: object, token = agentA.token) =>
    post('/api/v1/complaints', { shopId: shop.id, complainantName: '王小红', channel: 'phone', content: '客服态度差', category: 'service_attitude', ...extra }, token);

  describe('a seeded day in a Shanghai shop', () => {
    const seeded: Record<string, string> = {};
    let orders: Record<string, NewOrder>;
    let generatedBefore: Date;

    beforeAll(async () => {
      const now = Date.now();
      // Orders through the platform's signed webhooks: one paid 3 days ago and never shipped (late),
      // one paid now and audited (waiting for finance), one reported shipped 3 days ago whose
      // parcel has no carrier scan yet (not collected), one shipped for the claims.
      orders = {
        late: await newOrder(t, { shop: sh, placedAt: new Date(now - 3 * DAY), orderNumber: `SH-LATE-${now}` }),
        audited: await newOrder(t, { shop: sh, orderNumber: `SH-AUD-${now}` }),
        notCollected: await newOrder(t, { shop: sh, status: 'shipped', placedAt: new Date(now - 3 * DAY), orderNumber: `SH-NC-${now}` }),
        claimed: await newOrder(t, { shop: sh, status: 'shipped', placedAt: new Date(now - 12 * DAY), orderNumber: `SH-CL-${now}` }),
        reuse1: await newOrder(t, { shop: sh, status: 'shipped', orderNumber: `SH-R1-${now}` }),
        reuse2: await newOrder(t, { shop: sh, status: 'shipped', orderNumber: `SH-R2-${now}` }),
        refunded: await newOrder(t, { shop: sh, status: 'shipped', orderNumber: `SH-RF-${now}` }),
        pending: await newOrder(t, { shop: sh, status: 'shipped', orderNumber: `SH-PR-${now}` }),
        requested: await newOrder(t, { shop: sh, status: 'shipped', orderNumber: `SH-RQ-${now}` }),
      };
      await post(`/api/v1/orders/${orders.audited.id}/audit`, { carrier: 'SF' });

      // Refunds: a return still waiting for 退款审核, a refund written and not paid yet, a return refunded (→ a follow-up call).
      seeded.requested = (await post('/api/v1/returns', { orderId: orders.requested.id, type: 'refund_only', reason: 'damaged', requestedAmount: 5_000 })).id;
      const pending = (await post('/api/v1/returns', { orderId: orders.pending.id, type: 'refund_only', reason: 'damaged', requestedAmount: 4_000 })).id;
      await post(`/api/v1/returns/${pending}/approve`, {});
      seeded.pendingReturn = pending;
      seeded.pendingRefund = (await post(`/api/v1/returns/${pending}/refund`, {})).refunds[0].id;
      const done = (await post('/api/v1/returns', { orderId: orders.refunded.id, type: 'refund_only', reason: 'leaking', requestedAmount: 3_000 })).id;
      await post(`/api/v1/returns/${done}/approve`, {});
      const refund = (await post(`/api/v1/returns/${done}/refund`, {})).refunds[0].id;
      await post(`/api/v1/refunds/${refund}/record-manual`, { externalReference: `BANK-${now}` }, finance.token);
      seeded.refundedReturn = done;

      // Complaints: a normal one reported 20 days ago (long overdue), a serious one registered after it by agent B.
      seeded.oldComplaint = (await complaint(sh, { reportedAt: new Date(now - 20 * DAY).toISOString() })).id;
      seeded.serious = (await complaint(sh, { severity: 'serious', category: 'product_quality', content: '瓶子漏液烫伤' }, agentB.token)).id;

      // Reviews: a bad one written 30 h ago (its reply is overdue), a neutral one replied to (agent B), a good one.
      seeded.bad = (await review(sh, 2, new Date(now - 30 * HOUR))).id;
      seeded.neutral = (await review(sh, 3, new Date(now - HOUR), agentB.token)).id;
      await post(`/api/v1/reviews/${seeded.neutral}/reply`, { text: '非常抱歉，我们已安排专人联系您' }, agentB.token);
      await review(sh, 5, new Date(now - HOUR));

      // Claims: a major leak reported 10 days ago (overdue), and two claims with the same photo — the second reuses it.
      seeded.oldClaim = (await post('/api/v1/claims', { orderId: orders.claimed.id, type: 'leak_major', reportedAt: new Date(now - 10 * DAY).toISOString(), lines: [{ lineNo: 1, quantity: 1 }] })).id;
      const photo = jpegPhoto(4242);
      seeded.claim1 = (await post('/api/v1/claims', { orderId: orders.reuse1.id, type: 'broken', lines: [{ lineNo: 1, quantity: 1 }] })).id;
      await upload(`/api/v1/claims/${seeded.claim1}/evidence`, [{ name: 'item', filename: 'bottle.jpg', body: photo }]);
      seeded.claim2 = (await post('/api/v1/claims', { orderId: orders.reuse2.id, type: 'broken', lines: [{ lineNo: 1, quantity: 1 }] })).id;
      await upload(`/api/v1/claims/${seeded.claim2}/evidence`, [{ name: 'item', filename: 'same.jpg', body: photo }, { name: 'outer_package', filename: 'box.png', body: pngImage(99) }]);
      generatedBefore = new Date();
    });

    it('lists every section in the order of the day with its count, items oldest first, serious complaints first', async () => {
      const w = await worklist({ shopId: sh.id });
      expect(w).toMatchObject({ timezone: SH, shopId: sh.id, assigneeId: null });
      expect([localDate(SH), DateTime.fromISO(w.generatedAt).setZone(SH).toISODate()]).toContain(w.date);
      expect(w.sections.map((s) => s.key)).toEqual(ORDER);
      expect(w.sections.map((s) => s.step)).toEqual(ORDER.map((_, i) => i + 1));
      expect(section(w, 'refunds_in_progress')).toMatchObject({ title: '退款处理中', titleEn: 'Refunds in progress', nextBatchAt: null });

      // 一 退款: the return awaiting approval and the refund written for the approved one (not that return again).
      expect(section(w, 'refunds_in_progress').items.map((i) => [i.module, i.collection, i.id])).toEqual([
        ['return', 'returns', seeded.requested],
        ['refund', 'refunds', seeded.pendingRefund],
      ]);
      expect(section(w, 'refunds_in_progress').count).toBe(2);
      const refundItem = section(w, 'refunds_in_progress').items[1];
      expect(refundItem).toMatchObject({ status: 'pending', orderId: orders.pending.id, orderNo: orders.pending.orderNumber, assigneeId: agentA.id });
      expect(refundItem.title).toBe(`退款 refund 40.00 CNY · #${orders.pending.orderNumber}`);

      // 二 投诉: serious first although registered later; then the new one.
      expect(ids(w, 'complaints')).toEqual([seeded.serious, seeded.oldComplaint]);
      expect(section(w, 'complaints').items[0]).toMatchObject({ assigneeId: agentB.id, title: '严重投诉 serious complaint · 商品质量 product quality', overdue: false });
      expect(section(w, 'complaints').items[1]).toMatchObject({ status: 'received', overdue: true });

      // 三 财务确认: the audited order, due at the batch.
      const fin = section(w, 'finance_confirmation');
      expect(fin.items.map((i) => [i.module, i.collection, i.id, i.orderId])).toEqual([['order', 'orders', orders.audited.id, orders.audited.id]]);
      expect(fin.items[0].title).toBe(`待财务确认 awaiting finance confirmation · #${orders.audited.orderNumber}`);
      const batch = DateTime.fromISO(fin.nextBatchAt!).setZone(SH);
      expect(['12:00', '16:00']).toContain(batch.toFormat('HH:mm'));
      expect(batch.toMillis()).toBeGreaterThan(new Date(w.generatedAt).getTime());
      expect(batch.toMillis()).toBeLessThanOrEqual(new Date(w.generatedAt).getTime() + 5 * DAY);

      // 五 遗留: nothing was opened before today in this shop.
      expect(section(w, 'carried_over')).toMatchObject({ count: 0, items: [] });

      // 六 / 八 / 九 reviews: both neutral/bad are new today; only the bad one has no reply (due 24 h after the review, passed).
      expect(ids(w, 'new_bad_reviews')).toEqual([seeded.bad, seeded.neutral]);
      expect(ids(w, 'bad_reviews_without_reply')).toEqual([seeded.bad]);
      const unreplied = section(w, 'bad_reviews_without_reply').items[0];
      expect(unreplied).toMatchObject({ overdue: true, title: '差评 bad review 2★' });
      expect(ids(w, 'reviews_awaiting_contact')).toEqual([seeded.bad, seeded.neutral]);

      // 十一 未发货: the order paid 3 days ago and never shipped (late), the audited one; the shipped ones nobody collected in time.
      const late = section(w, 'late_or_unshipped_orders');
      expect(late.items.map((i) => [i.id, i.overdue])).toEqual([
        [orders.late.id, true],
        [orders.audited.id, false],
        [orders.notCollected.id, true],
        [orders.claimed.id, true],
      ]);
      expect(late.items.map((i) => i.title)).toEqual([
        `未发货 not shipped · #${orders.late.orderNumber}`,
        `未发货 not shipped · #${orders.audited.orderNumber}`,
        `已发货未揽收 shipped, not collected · #${orders.notCollected.orderNumber}`,
        `已发货未揽收 shipped, not collected · #${orders.claimed.orderNumber}`,
      ]);
      // shipped within the 48 hours, parcels not scanned yet: not late
      expect(late.items.map((i) => i.id)).not.toContain(orders.reuse1.id);

      // Everything overdue or due within 2 h: the old complaint and claim, the bad review not contacted within 24 h
      // of its writing, and a claim whose 16:00 deadline is near.
      const soon = new Date(w.generatedAt).getTime() + 2 * HOUR;
      const claimDues = await Promise.all([seeded.claim1, seeded.claim2].map(async (id) => [id, (await api().get(`/api/v1/claims/${id}`).set(bearer(agentA.token))).body.dueAt as string] as const));
      const expectedDue = [seeded.oldComplaint, seeded.bad, seeded.oldClaim, ...claimDues.filter(([, d]) => new Date(d).getTime() <= soon).map(([id]) => id)];
      expect(new Set(ids(w, 'due_soon_or_overdue'))).toEqual(new Set(expectedDue));
      expect(section(w, 'due_soon_or_overdue').items.every((i) => new Date(i.dueAt!).getTime() <= soon)).toBe(true);
      const oldClaim = section(w, 'due_soon_or_overdue').items.find((i) => i.id === seeded.oldClaim)!;
      expect(oldClaim).toMatchObject({ module: 'claim', collection: 'claims', overdue: true, title: `大量渗漏 major leakage · #${orders.claimed.orderNumber}` });

      // 回访: the refunded return's call is due within 3 days — listed when that is today.
      const [followUp] = (await api().get(`/api/v1/follow-ups?sourceCaseId=${seeded.refundedReturn}`).set(bearer(agentA.token))).body.items;
      expect(followUp).toBeDefined();
      const dueToday = DateTime.fromISO(followUp.dueAt).setZone(SH).toISODate() === w.date;
      expect(ids(w, 'follow_ups_due')).toEqual(dueToday ? [followUp.id] : []);

      // Photo reuse: only the claim that uploaded bytes another claim held first.
      expect(section(w, 'suspected_photo_reuse').items.map((i) => [i.module, i.id])).toEqual([['claim', seeded.claim2]]);

      expect(w.sections.every((s) => s.items.every((i, k, all) => k === 0 || s.key === 'complaints' || all[k - 1].openedAt <= i.openedAt))).toBe(true);
      expect(new Date(w.generatedAt).getTime()).toBeGreaterThanOrEqual(generatedBefore.getTime());
    });

    it('moves the day: tomorrow every open case is carried over, and the follow-up call is due by its own day', async () => {
      const w = await worklist({ shopId: sh.id, date: localDate(SH, 1) });
      expect(w.date).toBe(localDate(SH, 1));
      const openCases = [seeded.requested, seeded.pendingReturn, seeded.oldComplaint, seeded.serious, seeded.bad, seeded.neutral, seeded.oldClaim, seeded.claim1, seeded.claim2];
      expect(new Set(ids(w, 'carried_over'))).toEqual(new Set(openCases));
      expect(section(w, 'carried_over').count).toBe(openCases.length);
      // written and registered today: not new tomorrow
      expect(section(w, 'new_bad_reviews').count).toBe(0);
      const [followUp] = (await api().get(`/api/v1/follow-ups?sourceCaseId=${seeded.refundedReturn}`).set(bearer(agentA.token))).body.items;
      const onItsDay = await worklist({ shopId: sh.id, date: DateTime.fromISO(followUp.dueAt).setZone(SH).toISODate()! });
      expect(ids(onItsDay, 'follow_ups_due')).toEqual([followUp.id]);
      expect(section(onItsDay, 'follow_ups_due').items[0]).toMatchObject({ module: 'follow_up', collection: 'follow-ups', title: `回访 follow-up call · 退换货 return · #${orders.refunded.orderNumber}` });
    });

    it('filters by assignee: agent B sees the serious complaint and the review registered', async () => {
      const w = await worklist({ shopId: sh.id, assigneeId: agentB.id });
      expect(w.assigneeId).toBe(agentB.id);
      expect(ids(w, 'complaints')).toEqual([seeded.serious]);
      expect(ids(w, 'new_bad_reviews')).toEqual([seeded.neutral]);
      expect(section(w, 'refunds_in_progress').count).toBe(0);
      expect(section(w, 'late_or_unshipped_orders').count).toBe(0);
      const a = await worklist({ shopId: sh.id, assigneeId: agentA.id });
      expect(ids(a, 'complaints')).toEqual([seeded.oldComplaint]);
      expect(ids(a, 'refunds_in_progress')).toEqual([seeded.requested, seeded.pendingRefund]);
    });
  });

  describe('the day in two timezones', () => {
    // 2026-11-10T20:00Z is 15:00 on the 10th in New York and 04:00 on the 11th in Shanghai.
    const writtenAt = new Date('2026-11-10T20:00:00Z');
    let shReview: string;
    let nyReview: string;

    beforeAll(async () => {
      shReview = (await review(sh, 1, writtenAt)).id;
      nyReview = (await review(ny, 1, writtenAt)).id;
    });

    it('reads the date in the shop\'s zone: the same review is new on the 11th in Shanghai and on the 10th in New York', async () => {
      const sh10 = await worklist({ shopId: sh.id, date: '2026-11-10' });
      const sh11 = await worklist({ shopId: sh.id, date: '2026-11-11' });
      const ny10 = await worklist({ shopId: ny.id, date: '2026-11-10' });
      const ny11 = await worklist({ shopId: ny.id, date: '2026-11-11' });
      expect([sh10.timezone, ny10.timezone]).toEqual([SH, NY]);
      expect(ids(sh10, 'new_bad_reviews')).toEqual([]);
      expect(ids(sh11, 'new_bad_reviews')).toEqual([shReview]);
      expect(ids(ny10, 'new_bad_reviews')).toEqual([nyReview]);
      expect(ids(ny11, 'new_bad_reviews')).toEqual([]);
      expect(ids(ny10, 'reviews_awaiting_contact')).toEqual([nyReview]);
    });

    it('gives the next finance batch at 12:00 shop time of the day asked for', async () => {
      // Wednesday 10 March 2027: a working day; New York is still on EST (UTC−5).
      const shDay = await worklist({ shopId: sh.id, date: '2027-03-10' });
      const nyDay = await worklist({ shopId: ny.id, date: '2027-03-10' });
      expect(section(shDay, 'finance_confirmation').nextBatchAt).toBe('2027-03-10T04:00:00.000Z');
      expect(section(nyDay, 'finance_confirmation').nextBatchAt).toBe('2027-03-10T17:00:00.000Z');
    });

    it('defaults the date to today in the shop\'s zone, and to the merchant\'s default zone without a shop', async () => {
      const before = { sh: localDate(SH), ny: localDate(NY) };
      const [wSh, wNy, wAll] = [await worklist({ shopId: sh.id }), await worklist({ shopId: ny.id }), await worklist({})];
      expect([before.sh, localDate(SH)]).toContain(wSh.date);
      expect([before.ny, localDate(NY)]).toContain(wNy.date);
      // shops in two zones: the merchant's default (DEFAULT_TIMEZONE)
      expect(wAll).toMatchObject({ timezone: t.config.defaultTimezone, shopId: null });
      expect(section(wAll, 'new_bad_reviews').count).toBeGreaterThanOrEqual(section(wSh, 'new_bad_reviews').count);
    });
  });

  it('caps the items at 50 while counting them all, oldest first', async () => {
    const shop = await newShop(t, { timezone: SH });
    const start = Date.now() - 60 * HOUR;
    const made: string[] = [];
    for (let i = 0; i < 53; i++) made.push((await review(shop, 2, new Date(start + i * HOUR))).id);
    const w = await worklist({ shopId: shop.id });
    const awaiting = section(w, 'reviews_awaiting_contact');
    expect(awaiting.count).toBe(53);
    expect(awaiting.items.map((i) => i.id)).toEqual(made.slice(0, 50));
  });

  it('reads a fixed number of statements, however many cases there are (no query per case)', async () => {
    const [few, many] = [await newShop(t, { timezone: SH }), await newShop(t, { timezone: SH })];
    await review(few, 2, new Date(Date.now() - HOUR));
    for (let i = 0; i < 30; i++) await review(many, 1, new Date(Date.now() - (i + 1) * HOUR));
    // Observes (calls through) every statement of the application's pool that names the shop.
    const spy = jest.spyOn(PostgresQueryRunner.prototype, 'query');
    const statementsFor = async (shop: ShopInfo) => {
      spy.mockClear();
      const w = await worklist({ shopId: shop.id });
      const n = spy.mock.calls.filter(([, params]) => Array.isArray(params) && params.includes(shop.id)).length;
      return { n, w };
    };
    try {
      const a = await statementsFor(few);
      const b = await statementsFor(many);
      expect(section(a.w, 'reviews_awaiting_contact').count).toBe(1);
      expect(section(b.w, 'reviews_awaiting_contact').count).toBe(30);
      expect(b.n).toBe(a.n);
      // one per section, plus the shop's lookup
      expect(a.n).toBeGreaterThanOrEqual(ORDER.length);
      expect(a.n).toBeLessThanOrEqual(ORDER.length + 2);
    } finally {
      spy.mockRestore();
    }
  });

  it('lets every role read; another merchant\'s shop or staff is 404, a bad date or id 400, changing nothing', async () => {
    expect((await api().get('/api/v1/worklist').set(bearer(warehouse.token))).status).toBe(200);
    expect((await api().get('/api/v1/worklist').set(bearer(finance.token))).status).toBe(200);
    expect((await api().get('/api/v1/worklist')).status).toBe(401);

    const other = await createOtherMerchant(t);
    const created = await api().post('/api/v1/shops').set(bearer(other.adminToken)).send({ name: `Theirs ${Date.now()}`, platform: 'generic', webhookSecret: 'whsec_theirs_1', trackingSalt: 'salt_theirs_1' });
    expect(created.status).toBe(201);
    const theirShop = { theirs: created.body.id as string };
    const notFound = await api().get('/api/v1/worklist').query({ shopId: theirShop.theirs }).set(bearer(agentA.token));
    expect(notFound.status).toBe(404);
    expect(notFound.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    const theirs = await api().get('/api/v1/worklist').query({ shopId: theirShop.theirs }).set(bearer(other.adminToken));
    expect(theirs.status).toBe(200);
    expect(theirs.body.sections.every((s: Section) => s.count === 0)).toBe(true);
    // nothing of ours in their list without a shop either
    const theirsAll = await api().get('/api/v1/worklist').set(bearer(other.adminToken));
    expect(theirsAll.body.sections.every((s: Section) => s.count === 0)).toBe(true);
    const [theirAdmin] = await t.db.query(`SELECT id FROM staff WHERE merchant_id = $1`, [other.merchantId]);
    expect((await api().get('/api/v1/worklist').query({ assigneeId: theirAdmin.id }).set(bearer(agentA.token))).status).toBe(404);

    for (const query of [{ date: '2026-02-30' }, { date: '9999-12-31' }, { date: '0000-01-01' }, { date: '30/11/2026' }, { date: 'today' }, { date: '2026-11-30T00:00' }, { shopId: 'not-a-uuid' }, { assigneeId: '123' }, { bogus: '1' }]) {
      const res = await api().get('/api/v1/worklist').query(query).set(bearer(agentA.token));
      expect([JSON.stringify(query), res.status]).toEqual([JSON.stringify(query), 400]);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    }
  });
});
