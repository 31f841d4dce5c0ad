import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DateTime } from 'luxon';
import type { Response } from 'supertest';
import { claimMachine } from '../../src/claims/claim.machine.js';
import { ALLOWED_RESOLUTIONS, ClaimType, Resolution } from '../../src/claims/claim-status.js';
import { Role } from '../../src/kernel/auth/roles.js';
import { DueSweeper } from '../../src/kernel/cases/due-sweeper.service.js';
import { StateMachineEngine } from '../../src/kernel/state-machine/state-machine.engine.js';
import { bearer, createOtherMerchant, createShop, createStaff, type StaffLogin } from '../support/factories.js';
import { insertPaidOrder, type PaidOrder } from '../support/fake-shopify.js';
import { jpegPhoto, pngImage } from '../support/images.js';
import { multipartBody, type Part } from '../support/multipart.js';
import { startTestApp, type TestApp } from '../support/test-app.js';


const SH = 'Asia/Shanghai';
const local = (iso: string) => DateTime.fromISO(iso, { zone: SH });
const wall = (d: string | Date | null) => (d === null ? null : DateTime.fromJSDate(new Date(d)).setZone(SH).toFormat("yyyy-MM-dd'T'HH:mm"));
const PHONE = '+8613812345678';
const SHAMPOO = { title: '洗发水 500ml', sku: 'SH-500', quantity: 2, unitPrice: 4_950 };
const CONDITIONER = { title: '护发素 300ml', sku: 'CD-300', quantity: 1, unitPrice: 3_900 };
let photoSeed = 1_000;
const photo = () => jpegPhoto(photoSeed++);

describe('claims over HTTP: photos, ruling, resolutions per type, the 16:00 deadline, carrier recovery', () => {
  let t: TestApp;
  let agent: StaffLogin;
  let supervisor: StaffLogin;
  let warehouse: StaffLogin;
  let finance: StaffLogin;
  let packer: StaffLogin;
  let shopId: string;

  beforeAll(async () => {
    t = await startTestApp();
    [agent, supervisor, warehouse, finance, packer] = await Promise.all([
      createStaff(t, Role.Agent),
      createStaff(t, Role.Supervisor),
      createStaff(t, Role.Warehouse),
      createStaff(t, Role.Finance),
      createStaff(t, Role.Warehouse, { name: '仓库 小李' }),
    ]);
    shopId = (await createShop(t, { platform: 'generic' })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const newOrder = async (phone: string | null = PHONE): Promise<PaidOrder> => {
    const o = await insertPaidOrder(t, shopId, { total: 13_800, lines: [SHAMPOO, CONDITIONER] });
    if (phone) await t.db.query('UPDATE orders SET customer_phone = $2, customer_phone_e164 = $2 WHERE id = $1', [o.id, phone]);
    return o;
  };
  const create = (token: string, body: object) => t.http().post('/api/v1/claims').set(bearer(token)).send(body);
  const act = (token: string, id: string, action: string, body: object = {}) => t.http().post(`/api/v1/claims/${id}/${action}`).set(bearer(token)).send(body);
  const get = (id: string, token = agent.token) => t.http().get(`/api/v1/claims/${id}`).set(bearer(token));
  const upload = (id: string, parts: Part[], token = agent.token) => {
    const { body, contentType } = multipartBody(parts);
    return t.http().post(`/api/v1/claims/${id}/evidence`).set(bearer(token)).set('content-type', contentType).send(body);
  };
  const path = (body: { timeline: Array<{ action: string; from: string | null; to: string }> }) => body.timeline.map((e) => `${e.action}:${e.from ?? ''}>${e.to}`);
  const expectError = (res: Response, status: number, message: RegExp) => {
    expect({ status: res.status, message: res.body.message }).toEqual({ status, message: expect.stringMatching(message) });
  };

  /** A claim on a fresh order with photos uploaded (evidence_received). */
  const withEvidence = async (type: ClaimType, extra: object = {}, kinds = ['item', 'outer_package']) => {
    const order = await newOrder();
    const c = await create(agent.token, { orderId: order.id, type, trackingNo: `YD${photoSeed}`, lines: [{ lineNo: 1, quantity: 2 }], ...extra });
    expect(c.status).toBe(201);
    const up = await upload(c.body.id, kinds.map((k) => ({ name: k, filename: `${k}.jpg`, body: photo() })));
    expect(up.status).toBe(201);
    expect(up.body.claim.status).toBe('evidence_received');
    return { order, id: c.body.id as string };
  };
  /** A verified claim of each type (wrong/missing blamed on the reviewer). */
  const verified = async (type: ClaimType) => {
    const fault = type === ClaimType.WrongItem || type === ClaimType.MissingItem ? { responsibility: 'review_error', responsibleStaffId: agent.id } : {};
    const c = await withEvidence(type, fault);
    const v = await act(agent.token, c.id, 'verify', type === ClaimType.LeakMajor ? { authentic: true } : {});
    expect(v.status).toBe(200);
    expect(v.body.status).toBe('verified');
    return c;
  };

  it('broken → reship: photos, verify, a linked reship order of the affected lines, carrier claim, partial recovery, closed', async () => {
    const order = await newOrder();
    const c = await create(agent.token, { orderId: order.orderNumber, type: 'broken', trackingNo: '4312345678901', carrier: 'yunda', description: '瓶子碎了', lines: [{ lineNo: 1, quantity: 1 }] });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ status: 'reported', type: 'broken', orderId: order.id, trackingNo: '4312345678901', assigneeId: agent.id, cost: 0, recovered: 0, suspectedReuseOf: null });
    expect(c.body.lines).toEqual([{ orderLineId: order.lineIds[0], lineNo: 1, platformLineId: null, sku: 'SH-500', title: SHAMPOO.title, quantity: 1, unitPrice: 4_950 }]);
    expect(c.body.allowedActions).toEqual(['request-evidence', 'assign', 'note']);

    expect((await act(agent.token, c.body.id, 'request-evidence', { note: '请拍外箱和破损瓶子' })).body.status).toBe('awaiting_evidence');
    const up = await upload(c.body.id, [
      { name: 'outer_package', filename: 'box.jpg', body: photo() },
      { name: 'item', filename: 'bottle.png', body: pngImage(7) },
    ]);
    expect(up.status).toBe(201);
    expect(up.body.attachments.map((a: { kind: string }) => a.kind)).toEqual(['outer_package', 'item']);
    expect(up.body.claim.evidence).toHaveLength(2);

    expect((await act(agent.token, c.body.id, 'resolve', { resolution: 'reship', reshipCost: 2_100, freightCost: 800 })).status).toBe(409);
    expect((await act(agent.token, c.body.id, 'verify')).body.status).toBe('verified');
    const r = await act(agent.token, c.body.id, 'resolve', { resolution: 'reship', reshipCost: 2_100, freightCost: 800, carrier: 'shunfeng' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'resolved', resolution: 'reship', reshipCost: 2_100, freightCost: 800, cost: 2_900, dueAt: null });
    const [reship] = await t.db.query('SELECT reship_of, status, total_amount, carrier, platform FROM orders WHERE id = $1', [r.body.reshipOrderId]);
    expect(reship).toEqual({ reship_of: order.id, status: 'paid', total_amount: '0', carrier: 'shunfeng', platform: 'internal' });
    expect(await t.db.query('SELECT sku, quantity FROM order_lines WHERE order_id = $1', [r.body.reshipOrderId])).toEqual([{ sku: 'SH-500', quantity: 1 }]);
    const original = await t.http().get(`/api/v1/orders/${order.id}`).set(bearer(agent.token));
    expect(original.body.timeline.map((e: { action: string }) => e.action)).toContain('reship-created');
    expect(original.body.relatedCases).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'claim', id: c.body.id, open: true })]));

    const claimed = await act(supervisor.token, c.body.id, 'claim-carrier', { amountClaimed: 2_900, carrierReference: 'YD-PC-0042' });
    expect(claimed.body).toMatchObject({ status: 'recovering', carrierClaim: { amountClaimed: 2_900, carrierReference: 'YD-PC-0042' } });
    const done = await act(finance.token, c.body.id, 'recover', { amountRecovered: 2_000 });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'closed', cost: 2_900, recovered: 2_000, recoveryOutcome: 'partial' });
    expect(path(done.body)).toEqual([
      'create:>reported', 'request-evidence:reported>awaiting_evidence', 'upload-evidence:awaiting_evidence>evidence_received',
      'verify:evidence_received>verified', 'resolve:verified>resolved', 'claim-carrier:resolved>recovering', 'recover:recovering>closed',
    ]);
    const [ix] = await t.db.query(`SELECT closed_at IS NOT NULL AS closed, resolved_at IS NOT NULL AS resolved FROM case_index WHERE machine = 'claim' AND case_id = $1`, [c.body.id]);
    expect(ix).toEqual({ closed: true, resolved: true });
    // [000 回访] reaching `resolved` put one follow-up call on the list; recovering and closing add none.
    const followUps = await t.http().get(`/api/v1/follow-ups?sourceCaseId=${c.body.id}`).set(bearer(agent.token));
    expect(followUps.status).toBe(200);
    expect(followUps.body.items).toEqual([expect.objectContaining({ status: 'open', orderId: order.id, source: expect.objectContaining({ module: 'claim', caseId: c.body.id, round: 1 }) })]);
  });

  it('broken → refund through the ledger; its success adds to the cost; closed without a carrier claim', async () => {
    const c = await verified(ClaimType.Broken);
    expectError(await act(agent.token, c.id, 'resolve', { resolution: 'refund', refundAmount: 9_901 }), 422, /sold for 99\.00/);
    expectError(await act(agent.token, c.id, 'resolve', { resolution: 'refund' }), 400, /Validation failed/);
    expect((await act(agent.token, c.id, 'resolve', { resolution: 'refund', refundAmount: 5_000, reshipCost: 1 })).status).toBe(400);
    const r = await act(agent.token, c.id, 'resolve', { resolution: 'refund', refundAmount: 5_000 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'resolved', refundAmount: 5_000, cost: 0 });
    expect(r.body.refunds).toEqual([expect.objectContaining({ status: 'pending', amount: 5_000, source: { type: 'claim', id: c.id } })]);
    await t.http().post(`/api/v1/refunds/${r.body.refunds[0].id}/record-manual`).set(bearer(finance.token)).send({ externalReference: 'WX-1' }).expect(200);
    expect((await get(c.id)).body.cost).toBe(5_000);
    const closed = await act(agent.token, c.id, 'close');
    expect(closed.body).toMatchObject({ status: 'closed', cost: 5_000, recovered: 0, recoveryOutcome: null });
    expect(path(closed.body).map((p: string) => p.split(':')[0])).toEqual(['create', 'upload-evidence', 'verify', 'resolve', 'refund-succeeded', 'close']);
  });

  it('leak_minor → refund in proportion: lossShare basis points of the affected lines [002 按照比例进行退款]', async () => {
    const c = await verified(ClaimType.LeakMinor);
    expectError(await act(agent.token, c.id, 'resolve', { resolution: 'refund', refundAmount: 1_000 }), 400, /Validation failed/);
    expect((await act(agent.token, c.id, 'resolve', { resolution: 'refund', lossShare: 10_001 })).status).toBe(400);
    const r = await act(agent.token, c.id, 'resolve', { resolution: 'refund', lossShare: 2_500, manual: true });
    expect(r.status).toBe(200);
    // 2 × 49.50 affected, a quarter of it lost
    expect(r.body).toMatchObject({ refundAmount: 2_475, lossShare: 2_500 });
    await t.http().post(`/api/v1/refunds/${r.body.refunds[0].id}/record-manual`).set(bearer(finance.token)).send({ externalReference: 'ALIPAY-9' }).expect(200);
    expect((await act(agent.token, c.id, 'close')).body).toMatchObject({ status: 'closed', cost: 2_475 });
  });

  it('leak_minor → gift_next_order: shown at the customer\'s next order\'s audit, counted when it ships', async () => {
    const c = await verified(ClaimType.LeakMinor);
    const r = await act(agent.token, c.id, 'resolve', { resolution: 'gift_next_order', giftCost: 1_500, giftNote: '赠品: 护发素小样' });
    expect(r.body).toMatchObject({ status: 'resolved', giftCost: 1_500, cost: 0, gift: { status: 'pending', giftCost: 1_500, givenOrderId: null } });
    expect((await act(agent.token, c.id, 'close')).body).toMatchObject({ status: 'closed', cost: 0 });

    expect((await t.http().get(`/api/v1/orders/${c.order.id}`).set(bearer(agent.token))).body.pendingGifts).toEqual([]);
    const next = await newOrder();
    const other = await newOrder('+8613900000000');
    expect((await t.http().get(`/api/v1/orders/${other.id}`).set(bearer(agent.token))).body.pendingGifts).toEqual([]);
    const atAudit = await t.http().get(`/api/v1/orders/${next.id}`).set(bearer(agent.token));
    expect(atAudit.body.pendingGifts).toEqual([expect.objectContaining({ claimId: c.id, sourceOrderId: c.order.id, note: '赠品: 护发素小样', giftCost: 1_500, status: 'pending' })]);

    const orderAct = (token: string, action: string, body: object = {}) => t.http().post(`/api/v1/orders/${next.id}/${action}`).set(bearer(token)).send(body);
    await t.http().put('/api/v1/settings/carrier-coverage').set(bearer(t.adminToken)).send({ carriers: [{ carrier: 'SF', provinces: ['广东'] }] }).expect(200);
    await t.db.query(`UPDATE orders SET ship_province = '广东省' WHERE id = $1`, [next.id]);
    expect((await orderAct(agent.token, 'audit', { carrier: 'SF' })).status).toBe(200);
    expect((await get(c.id)).body.cost).toBe(0);
    expect((await orderAct(finance.token, 'confirm')).status).toBe(200);
    expect((await orderAct(warehouse.token, 'ship', { carrier: 'SF', trackingNo: `SF${Date.now()}` })).status).toBe(200);
    const after = await get(c.id);
    expect(after.body).toMatchObject({ status: 'closed', cost: 1_500, gift: { status: 'given', givenOrderId: next.id } });
    expect(path(after.body).at(-1)).toBe('gift-given:closed>closed');
    expect((await t.http().get(`/api/v1/orders/${next.id}`).set(bearer(agent.token))).body.pendingGifts).toEqual([expect.objectContaining({ claimId: c.id, status: 'given' })]);

    const noPhone = await newOrder(null);
    const n = await create(agent.token, { orderId: noPhone.id, type: 'leak_minor', lines: [{ orderLineId: noPhone.lineIds[1], quantity: 1 }] });
    await upload(n.body.id, [{ name: 'item', filename: 'leak.jpg', body: photo() }]).expect(201);
    await act(agent.token, n.body.id, 'verify').expect(200);
    expectError(await act(agent.token, n.body.id, 'resolve', { resolution: 'gift_next_order', giftCost: 500 }), 422, /no customer phone number/);
  });

  it('leak_major: the authenticity judgement cannot be skipped; judged fake it is rejected, judged real it is reshipped', async () => {
    const fake = await withEvidence(ClaimType.LeakMajor);
    expect((await act(agent.token, fake.id, 'resolve', { resolution: 'reship', reshipCost: 1, freightCost: 1 })).status).toBe(409);
    expectError(await act(agent.token, fake.id, 'verify'), 422, /authenticity judgement .*辨别真实性/);
    expectError(await act(agent.token, fake.id, 'verify', { verdict: 'rejected', rejectReason: '照片来自网络' }), 422, /authenticity/);
    expect((await get(fake.id)).body).toMatchObject({ status: 'evidence_received', authentic: null });
    const rejected = await act(agent.token, fake.id, 'verify', { authentic: false });
    expect(rejected.body).toMatchObject({ status: 'rejected', authentic: false, rejectReason: 'judged not authentic [002 辨别真实性]', dueAt: null });
    expect(rejected.body.allowedActions).toEqual(['note']);

    const real = await withEvidence(ClaimType.LeakMajor);
    expect((await act(agent.token, real.id, 'verify', { authentic: true })).body).toMatchObject({ status: 'verified', authentic: true, verifiedBy: agent.id });
    const r = await act(agent.token, real.id, 'resolve', { resolution: 'reship', reshipCost: 9_900, freightCost: 1_200 });
    expect(r.body).toMatchObject({ status: 'resolved', cost: 11_100 });
    expect((await act(agent.token, real.id, 'close')).body.status).toBe('closed');
  });

  it('wrong_item blamed on the warehouse needs inner and outer package photos and both weights; resolving records the audit error and the stock correction', async () => {
    await t.http().post('/api/v1/webhook-endpoints').set(bearer(t.adminToken)).send({ url: 'http://127.0.0.1:9/stock', events: ['inventory.corrected'] }).expect(201);
    const c = await withEvidence(ClaimType.WrongItem, {}, ['outer_package']);
    expectError(await act(agent.token, c.id, 'verify'), 422, /missing: responsibility .*; responsibleStaffId/);
    const other = await createOtherMerchant(t);
    const [stranger] = await t.db.query(`SELECT id FROM staff WHERE merchant_id = $1`, [other.merchantId]);
    expectError(await act(agent.token, c.id, 'verify', { responsibility: 'warehouse_error', responsibleStaffId: stranger.id }), 422, /not an active staff member of this merchant/);
    const gaps = await act(agent.token, c.id, 'verify', { responsibility: 'warehouse_error', responsibleStaffId: packer.id });
    expect(gaps.status).toBe(422);
    expect(gaps.body.details.missing).toEqual([
      'a photo of kind inner_package [002 内外包装照片]',
      'shippedWeightGrams, the weight the parcel was shipped at [002 查询发货重量]',
      'expectedWeightGrams, what the ordered goods should weigh [002 查询发货重量]',
    ]);
    const more = await upload(c.id, [{ name: 'inner_package', filename: 'inside.jpg', body: photo() }], warehouse.token);
    expect(more.status).toBe(201);
    expect(more.body.claim.status).toBe('evidence_received');
    expectError(await act(agent.token, c.id, 'verify', { responsibility: 'warehouse_error', responsibleStaffId: packer.id, shippedWeightGrams: 1_020 }), 422, /expectedWeightGrams/);
    const v = await act(agent.token, c.id, 'verify', { responsibility: 'warehouse_error', responsibleStaffId: packer.id, shippedWeightGrams: 1_020, expectedWeightGrams: 1_100 });
    expect(v.body).toMatchObject({ status: 'verified', responsibility: 'warehouse_error', responsibleStaffId: packer.id, weightDifferenceGrams: -80 });

    const r = await act(agent.token, c.id, 'resolve', {
      resolution: 'reship', reshipCost: 4_000, freightCost: 600,
      inventoryCorrections: [{ sku: 'SH-500', quantity: 2, direction: 'in' }, { sku: 'SH-250', quantity: 2, direction: 'out' }],
    });
    expect(r.status).toBe(200);
    expect(r.body.auditErrors).toEqual([expect.objectContaining({ staffId: packer.id, responsibility: 'warehouse_error', severity: 'serious', kind: 'wrong_goods' })]);
    expect(r.body.inventoryCorrections.map((i: object) => ({ ...i, id: undefined, at: undefined }))).toEqual([
      { sku: 'SH-250', quantity: 2, direction: 'out', id: undefined, at: undefined },
      { sku: 'SH-500', quantity: 2, direction: 'in', id: undefined, at: undefined },
    ]);
    const events: Array<{ payload: { event: { type: string; data: { claimId: string; corrections: unknown[] } } } }> = await t.db.query(
      `SELECT payload FROM outbox WHERE kind = 'event.deliver' AND payload->'event'->>'type' = 'inventory.corrected' AND payload->'event'->'data'->>'claimId' = $1`,
      [c.id],
    );
    expect(events).toHaveLength(1);
    expect(events[0].payload.event.data.corrections).toHaveLength(2);
    expect((await act(agent.token, c.id, 'close')).body).toMatchObject({ status: 'closed', cost: 4_600 });
  });

  it('missing_item blamed on the review (named at creation): a general audit error, the affected lines back in stock by default', async () => {
    const order = await newOrder();
    expectError(await create(agent.token, { orderId: order.id, type: 'broken', responsibility: 'review_error', lines: [{ lineNo: 1, quantity: 1 }] }), 422, /apply to wrong_item and missing_item/);
    const c = await create(agent.token, { orderId: order.id, type: 'missing_item', responsibility: 'review_error', responsibleStaffId: agent.id, lines: [{ orderLineId: order.lineIds[1], quantity: 1 }] });
    expect(c.status).toBe(201);
    await upload(c.body.id, [{ name: 'file', filename: 'parcel.jpg', body: photo() }]).expect(201);
    expect((await act(agent.token, c.body.id, 'verify')).body.status).toBe('verified');
    const r = await act(agent.token, c.body.id, 'resolve', { resolution: 'reship', reshipCost: 1_900, freightCost: 0, auditErrorKind: 'missed_sample_gift' });
    expect(r.status).toBe(200);
    expect(r.body.auditErrors).toEqual([expect.objectContaining({ staffId: agent.id, responsibility: 'review_error', severity: 'general', kind: 'missed_sample_gift' })]);
    expect(r.body.inventoryCorrections).toEqual([expect.objectContaining({ sku: 'CD-300', quantity: 1, direction: 'in' })]);
    const [kpi] = await t.db.query(`SELECT count(*)::int AS n FROM audit_errors WHERE merchant_id = $1 AND staff_id = $2 AND claim_id = $3`, [t.merchantId, agent.id, c.body.id]);
    expect(kpi.n).toBe(1);
    expect((await act(agent.token, c.body.id, 'close')).body.status).toBe('closed');
  });

  it('refuses every resolution SPEC §8 does not list for the type (422 naming the allowed ones), changing nothing', async () => {
    for (const type of Object.values(ClaimType)) {
      const c = await verified(type);
      for (const resolution of Object.values(Resolution).filter((r) => !ALLOWED_RESOLUTIONS[type].includes(r))) {
        const body = { resolution, reshipCost: 100, freightCost: 100, giftCost: 100, refundAmount: 100 };
        const res = await act(agent.token, c.id, 'resolve', body);
        expect({ type, resolution, status: res.status, message: res.body.message }).toEqual({
          type, resolution, status: 422, message: `a ${type} claim cannot be resolved by ${resolution}; allowed: ${ALLOWED_RESOLUTIONS[type].join(', ')} [002]`,
        });
      }
      expect((await get(c.id)).body).toMatchObject({ status: 'verified', version: 3, resolution: null, cost: 0 });
    }
  });

  it('is due 16:00 the day reported (the next day after 16:00), marked overdue past it', async () => {
    const yesterday = DateTime.now().setZone(SH).minus({ days: 1 }).toISODate()!;
    const order = await newOrder();
    const early = await create(agent.token, { orderId: order.id, type: 'broken', reportedAt: local(`${yesterday}T15:59`).toISO(), lines: [{ lineNo: 1, quantity: 1 }] });
    expect(wall(early.body.dueAt)).toBe(`${yesterday}T16:00`);
    expect(early.body.overdue).toBe(true);
    const late = await create(agent.token, { orderId: order.id, type: 'broken', reportedAt: local(`${yesterday}T16:00`).toISO(), lines: [{ lineNo: 2, quantity: 1 }] });
    expect(wall(late.body.dueAt)).toBe(`${local(yesterday).plus({ days: 1 }).toISODate()}T16:00`);

    const results = await t.app.get(DueSweeper).sweep(new Date(new Date(early.body.dueAt).getTime() + 60_000));
    expect(results.find((r) => r.id === early.body.id)?.outcome).toBe('marked');
    expect(results.find((r) => r.id === late.body.id)).toBeUndefined();
    const [ix] = await t.db.query(`SELECT overdue_at IS NOT NULL AS marked FROM case_index WHERE machine = 'claim' AND case_id = $1`, [early.body.id]);
    expect(ix.marked).toBe(true);
    const list = await t.http().get('/api/v1/claims?overdue=true&type=broken').set(bearer(agent.token));
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(early.body.id);
    expect(await t.http().get('/api/v1/claims?type=nonsense').set(bearer(agent.token))).toHaveProperty('status', 400);
  });

  it('stops the clock while photos are awaited and restarts it at the upload: 16:00 that day, the next day after 16:00', async () => {
    const engine = t.app.get(StateMachineEngine);
    const tomorrow = DateTime.now().setZone(SH).plus({ days: 1 }).toISODate()!;
    const reportedAt = DateTime.now().setZone(SH).minus({ days: 2 }).set({ hour: 10, minute: 0 }).toISO()!;
    const uploadAt = async (at: string) => {
      const order = await newOrder();
      const c = await create(agent.token, { orderId: order.id, type: 'broken', reportedAt, lines: [{ lineNo: 1, quantity: 1 }] });
      expect(c.body.overdue).toBe(true);
      const waiting = await act(agent.token, c.body.id, 'request-evidence');
      expect(waiting.body).toMatchObject({ status: 'awaiting_evidence', dueAt: null, overdue: false });
      const [ix] = await t.db.query(`SELECT due_at, next_sweep_at FROM case_index WHERE machine = 'claim' AND case_id = $1`, [c.body.id]);
      expect(ix).toEqual({ due_at: null, next_sweep_at: null });
      // The upload is the customer acting: fired as the HTTP upload fires it, at the instant it stands for.
      await engine.fire(claimMachine, c.body.id, 'upload-evidence', { type: 'staff', merchantId: t.merchantId, staffId: agent.id, role: Role.Agent }, {
        internal: true, now: local(`${tomorrow}T${at}`).toJSDate(),
      });
      const due = (await get(c.body.id)).body.dueAt as string;
      const verified = await engine.fire(claimMachine, c.body.id, 'verify', { type: 'staff', merchantId: t.merchantId, staffId: agent.id, role: Role.Agent }, {
        now: local(`${tomorrow}T${at}`).plus({ minutes: 5 }).toJSDate(),
      });
      // The ruling keeps the deadline the upload set.
      expect((verified.row.due_at as Date).toISOString()).toBe(due);
      return wall(due);
    };
    expect(await uploadAt('15:59')).toBe(`${tomorrow}T16:00`);
    expect(await uploadAt('16:01')).toBe(`${local(tomorrow).plus({ days: 1 }).toISODate()}T16:00`);

    // Over HTTP: the upload restarts the clock now; the claim is no longer overdue.
    const order = await newOrder();
    const c = await create(agent.token, { orderId: order.id, type: 'broken', reportedAt, lines: [{ lineNo: 1, quantity: 1 }] });
    await act(agent.token, c.body.id, 'request-evidence').expect(200);
    const up = await upload(c.body.id, [{ name: 'item', filename: 'x.jpg', body: photo() }]);
    const uploadedAt = up.body.claim.timeline.at(-1).at as string;
    expect(up.body.claim).toMatchObject({ status: 'evidence_received', overdue: false });
    const at = DateTime.fromISO(uploadedAt).setZone(SH);
    const expected = at.hour < 16 ? at.toISODate() : at.plus({ days: 1 }).toISODate();
    expect(wall(up.body.claim.dueAt)).toBe(`${expected}T16:00`);
  });

  it('judges uploads by content: a text file named .jpg is refused, 11 MB is 413, "../../x.jpg" is stored by its hash; nothing changes on a refusal', async () => {
    const order = await newOrder();
    const c = await create(agent.token, { orderId: order.id, type: 'broken', lines: [{ lineNo: 1, quantity: 1 }] });
    expectError(await upload(c.body.id, [{ name: 'item', filename: 'photo.jpg', type: 'image/jpeg', body: 'not a photo at all\n' }]), 415, /"photo\.jpg" is not a JPEG, PNG, WebP file by its content/);
    const big = Buffer.concat([photo(), Buffer.alloc(11 * 1024 * 1024, 0x55)]);
    expectError(await upload(c.body.id, [{ name: 'item', filename: 'huge.jpg', body: big }]), 413, /larger than 10 MB/);
    expectError(await upload(c.body.id, [{ name: 'chat_transcript', filename: 'chat.jpg', body: photo() }]), 422, /not used for claim evidence; allowed: outer_package, inner_package, item, waybill/);
    expect((await get(c.body.id)).body).toMatchObject({ status: 'reported', version: 1, evidence: [] });

    const ok = await upload(c.body.id, [{ name: 'file', filename: '../../x.jpg', type: 'image/jpeg', body: photo() }]);
    expect(ok.status).toBe(201);
    const a = ok.body.attachments[0];
    expect(a.originalName).toBe('x.jpg');
    const uploads = resolve(t.config.dataDir, 'uploads');
    const files = (await readdir(uploads, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
    for (const f of files) expect(f.slice(uploads.length + 1)).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    expect(existsSync(resolve(uploads, '../../x.jpg'))).toBe(false);

    expect((await upload(c.body.id, [{ name: 'item', filename: 'y.jpg', body: photo() }], finance.token)).status).toBe(403);
    await act(agent.token, c.body.id, 'verify').expect(200);
    expectError(await upload(c.body.id, [{ name: 'item', filename: 'late.jpg', body: photo() }]), 409, /status verified/);
  });

  it('flags a photo already used in another claim of the merchant on the second claim, with the first one\'s id', async () => {
    const same = photo();
    const first = await create(agent.token, { orderId: (await newOrder()).id, type: 'broken', lines: [{ lineNo: 1, quantity: 1 }] });
    await upload(first.body.id, [{ name: 'item', filename: 'a.jpg', body: same }]).expect(201);
    const second = await create(agent.token, { orderId: (await newOrder()).id, type: 'broken', lines: [{ lineNo: 1, quantity: 1 }] });
    const up = await upload(second.body.id, [{ name: 'item', filename: 'b.jpg', body: same }, { name: 'waybill', filename: 'c.jpg', body: photo() }]);
    expect(up.status).toBe(201);
    expect(up.body.suspectedReuse).toEqual([expect.objectContaining({ claimId: first.body.id })]);
    const detail = (await get(second.body.id)).body;
    expect(detail.suspectedReuseOf).toBe(first.body.id);
    expect(detail.suspectedReuse).toEqual([expect.objectContaining({ claimId: first.body.id, attachmentId: up.body.attachments[0].id })]);
    expect((await get(first.body.id)).body.suspectedReuseOf).toBeNull();
    const flagged = await t.http().get('/api/v1/claims?suspectedReuse=true').set(bearer(agent.token));
    expect(flagged.body.items.map((i: { id: string }) => i.id)).toContain(second.body.id);
    expect(flagged.body.items.map((i: { id: string }) => i.id)).not.toContain(first.body.id);

    // Another merchant's identical photo is never compared.
    const other = await createOtherMerchant(t);
    const otherShop = await createShop(t, {}, other.adminToken);
    const otherOrder = await insertPaidOrder(t, otherShop.id, { total: 5_000 });
    const theirs = await create(other.adminToken, { orderId: otherOrder.id, type: 'broken', lines: [{ lineNo: 1, quantity: 1 }] });
    const theirUp = await upload(theirs.body.id, [{ name: 'item', filename: 'a.jpg', body: same }], other.adminToken);
    expect(theirUp.body.suspectedReuse).toEqual([]);
  });

  it('keeps cost and recovered current: refunds paid, reships at cost plus freight, gifts given; recovery full, none, never above the claim', async () => {
    const c = await verified(ClaimType.Broken);
    await act(agent.token, c.id, 'resolve', { resolution: 'reship', reshipCost: 3_000, freightCost: 800 }).expect(200);
    await act(supervisor.token, c.id, 'claim-carrier', { amountClaimed: 3_800, carrierReference: 'SF-77' }).expect(200);
    expectError(await act(finance.token, c.id, 'recover', { amountRecovered: 3_801 }), 422, /more than the 38\.00 claimed/);
    expect((await act(finance.token, c.id, 'recover', { amountRecovered: 3_800 })).body).toMatchObject({ status: 'closed', cost: 3_800, recovered: 3_800, recoveryOutcome: 'full' });

    const n = await verified(ClaimType.LeakMinor);
    const r = await act(agent.token, n.id, 'resolve', { resolution: 'refund', lossShare: 10_000 });
    await t.http().post(`/api/v1/refunds/${r.body.refunds[0].id}/record-manual`).set(bearer(finance.token)).send({ externalReference: 'B-2' }).expect(200);
    await act(supervisor.token, n.id, 'claim-carrier', { amountClaimed: 9_900, carrierReference: 'YD-1' }).expect(200);
    expect((await act(supervisor.token, n.id, 'recover', { amountRecovered: 0 })).body).toMatchObject({ cost: 9_900, recovered: 0, recoveryOutcome: 'none' });

    // Every claim's cost is what its resolution spent: succeeded refunds + reship goods and freight + gifts given.
    const rows: Array<{ cost: string; spent: string; recovered: string }> = await t.db.query(
      `SELECT c.cost, c.recovered,
              COALESCE((SELECT sum(amount) FROM refunds r WHERE r.source_type = 'claim' AND r.source_id = c.id AND r.status = 'succeeded'), 0)
            + COALESCE(c.reship_cost, 0) + COALESCE(c.freight_cost, 0)
            + COALESCE((SELECT gift_cost FROM customer_gifts g WHERE g.claim_id = c.id AND g.status = 'given'), 0) AS spent
         FROM claims c WHERE c.merchant_id = $1`,
      [t.merchantId],
    );
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) expect(row.cost).toBe(row.spent);
    for (const row of rows) expect(Number(row.recovered)).toBeGreaterThanOrEqual(0);
  });

  it('keeps to roles: an agent may not claim from the carrier nor record the recovery (supervisor, finance)', async () => {
    const c = await verified(ClaimType.Broken);
    await act(agent.token, c.id, 'resolve', { resolution: 'reship', reshipCost: 100, freightCost: 100 }).expect(200);
    expectError(await act(agent.token, c.id, 'claim-carrier', { amountClaimed: 200, carrierReference: 'X' }), 403, /role agent may not claim-carrier a claim; allowed: supervisor, admin/);
    expect((await act(warehouse.token, c.id, 'verify')).status).toBe(403);
    await act(supervisor.token, c.id, 'claim-carrier', { amountClaimed: 200, carrierReference: 'X' }).expect(200);
    expect((await act(agent.token, c.id, 'recover', { amountRecovered: 200 })).status).toBe(403);
    expect((await act(finance.token, c.id, 'recover', { amountRecovered: 200 })).status).toBe(200);
  });

  it('answers 404 for another merchant\'s claim, exactly as for an unknown one, and lists only the merchant\'s own', async () => {
    const c = await verified(ClaimType.Broken);
    const other = await createOtherMerchant(t);
    expect((await get(c.id, other.adminToken)).status).toBe(404);
    expect((await act(other.adminToken, c.id, 'resolve', { resolution: 'refund', refundAmount: 100 })).status).toBe(404);
    expect((await upload(c.id, [{ name: 'item', filename: 'z.jpg', body: photo() }], other.adminToken)).status).toBe(404);
    expect((await t.http().get('/api/v1/claims').set(bearer(other.adminToken))).body.items).toEqual([]);
    expect((await get('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await create(other.adminToken, { orderId: c.order.id, type: 'broken', lines: [{ lineNo: 1, quantity: 1 }] })).status).toBe(404);
    expect((await get(c.id)).body.status).toBe('verified');
  });

  it('names lines by id, lineNo or platform line id, and refuses lines of another order or above the quantity', async () => {
    const order = await newOrder();
    await t.db.query(`UPDATE order_lines SET platform_line_id = '866550311766439020' WHERE id = $1`, [order.lineIds[1]]);
    const c = await create(agent.token, { orderId: order.id, type: 'missing_item', lines: [{ platformLineId: '866550311766439020', quantity: 1 }, { orderLineId: order.lineIds[0], quantity: 2 }] });
    expect(c.status).toBe(201);
    expect(c.body.lines.map((l: { lineNo: number; quantity: number }) => [l.lineNo, l.quantity])).toEqual([[1, 2], [2, 1]]);
    expect((await create(agent.token, { orderId: order.id, type: 'broken', lines: [{ lineNo: 1, quantity: 3 }] })).status).toBe(422);
    expect((await create(agent.token, { orderId: order.id, type: 'broken', lines: [{ lineNo: 9, quantity: 1 }] })).status).toBe(422);
    expect((await create(agent.token, { orderId: order.id, type: 'broken', lines: [{ lineNo: 1, orderLineId: order.lineIds[0], quantity: 1 }] })).status).toBe(400);
    expect((await create(agent.token, { orderId: order.id, type: 'broken', lines: [] })).status).toBe(400);
    expect((await create(agent.token, { orderId: order.id, type: 'broken', lines: [{ lineNo: 1, quantity: 1 }], reportedAt: DateTime.now().plus({ days: 1 }).toISO() })).status).toBe(400);
  });
});
