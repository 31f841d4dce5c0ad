import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Role } from '../../src/kernel/auth/roles.js';
import { CalendarService } from '../../src/kernel/calendar/calendar.service.js';
import { DueSweeper } from '../../src/kernel/cases/due-sweeper.service.js';
import { OutboxService } from '../../src/kernel/outbox/outbox.service.js';
import { reviewMachine } from '../../src/reviews/review.machine.js';
import { bearer, createOtherMerchant, createShop, createStaff, type StaffLogin } from '../support/factories.js';
import { insertPaidOrder } from '../support/fake-shopify.js';
import { pngImage } from '../support/images.js';
import { postGeneric, processDelivery } from '../support/platforms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A generic platform's review-reply endpoint on 127.0.0.1: checks the signature, answers as told. */
class FakeReplyPlatform {
  server!: Server;
  url = '';
  secret = '';
  /** Status of the next answers (200 takes the reply). */
  answer = 200;
  calls: Array<{ headers: IncomingMessage['headers']; body: Record<string, any>; validSignature: boolean }> = [];

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['x-signature'] ?? ''));
        const validSignature = !!m && createHmac('sha256', this.secret).update(`${m[1]}.${raw}`).digest('hex') === m[2];
        this.calls.push({ headers: req.headers, body: JSON.parse(raw), validSignature });
        if (!validSignature) return void res.writeHead(401).end();
        res.writeHead(this.answer, { 'content-type': 'application/json' }).end(JSON.stringify({ platformReplyId: `PR-${this.calls.length}` }));
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/review-replies`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

const at = (local: string) => new Date(`${local}+08:00`);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('reviews: bad-review recovery over HTTP and webhooks (SPEC §9)', () => {
  let t: TestApp;
  let agent: StaffLogin;
  let supervisor: StaffLogin;
  let finance: StaffLogin;
  let shop: { id: string; webhookSecret: string };
  let shopify: { id: string };
  const platform = new FakeReplyPlatform();

  beforeAll(async () => {
    await platform.start();
    // No background jobs: the sweeper and the outbox run when a test calls them, at the instant it chooses.
    t = await startTestApp({ env: { JOBS_ENABLED: 'false', OUTBOX_BACKOFF_MS: '1', OUTBOX_MAX_ATTEMPTS: '3' } });
    [agent, supervisor, finance] = await Promise.all([createStaff(t, Role.Agent), createStaff(t, Role.Supervisor), createStaff(t, Role.Finance)]);
    shop = await createShop(t, { platform: 'generic', timezone: 'Asia/Shanghai' });
    shopify = await createShop(t, { platform: 'shopify' });
    platform.secret = shop.webhookSecret;
    const ch = await t.http().put(`/api/v1/refund-channels/${shop.id}`).set(bearer(t.adminToken)).send({ replyWebhookUrl: platform.url });
    expect(ch.body).toMatchObject({ replyWebhookUrl: platform.url, method: 'manual' });
  });
  afterAll(async () => {
    await t?.close();
    await platform.stop();
  });

  const act = (token: string, id: string, action: string, body: object = {}) => t.http().post(`/api/v1/reviews/${id}/${action}`).set(bearer(token)).send(body);
  const get = async (id: string, token = agent.token) => {
    const res = await t.http().get(`/api/v1/reviews/${id}`).set(bearer(token));
    expect(res.status).toBe(200);
    return res.body;
  };
  const path = (body: { timeline: Array<{ action: string; from: string | null; to: string }> }) => body.timeline.map((e) => `${e.action}:${e.from ?? ''}>${e.to}`);
  /** A signed generic review delivery, processed now; returns the delivery's status and the review. */
  const sendReview = async (topic: 'review.created' | 'review.updated', data: Record<string, unknown>, occurredAt = new Date()) => {
    const res = await postGeneric(t, shop.id, { id: randomUUID(), topic, occurredAt: occurredAt.toISOString(), data }, { secret: shop.webhookSecret });
    expect(res.status).toBe(200);
    await processDelivery(t, res.body.id);
    const [d] = await t.db.query('SELECT status, result FROM webhook_deliveries WHERE id = $1', [res.body.id]);
    return { delivery: d.status as string, reviewId: d.result?.reviewId as string | undefined };
  };
  /** A staff-registered review of an order, walked to `diagnosed`. */
  const diagnosedReview = async (rating = 2, total = 30_000) => {
    const order = await insertPaidOrder(t, shop.id, { total });
    const c = await t.http().post('/api/v1/reviews').set(bearer(agent.token)).send({
      shopId: shop.id, orderId: order.platformOrderId, platformReviewId: `S-${randomUUID()}`, rating, content: '不满意', reviewedAt: new Date(Date.now() - HOUR).toISOString(),
    });
    expect(c.status).toBe(201);
    await act(agent.token, c.body.id, 'log-contact', { outcome: 'reached', channel: 'chat' }).expect(200);
    await act(agent.token, c.body.id, 'diagnose', { rootCause: 'product_quality', serviceCaused: false }).expect(200);
    return { id: c.body.id as string, order };
  };

  it('a 2-star review by signed webhook: no answer twice (outside quiet hours, across the National Day holiday), reached, diagnosed, remedy capped, accepted, revised to 5 stars', async () => {
    const order = await insertPaidOrder(t, shop.id, { total: 30_000 });
    const reviewedAt = at('2026-09-30T09:00:00');
    const reviewId = `RV-${randomUUID()}`;
    const created = await sendReview('review.created', { reviewId, orderId: order.platformOrderId, rating: 2, content: '物流太慢，包装也破了', reviewedAt: reviewedAt.toISOString() }, reviewedAt);
    expect(created.delivery).toBe('processed');
    const id = created.reviewId!;
    const opened = await get(id);
    expect(opened).toMatchObject({
      status: 'open', source: 'platform', platformReviewId: reviewId, platformOrderId: order.platformOrderId, orderId: order.id, shopId: shop.id,
      rating: 2, ratingBefore: 2, ratingAfter: null, grade: 'bad', content: '物流太慢，包装也破了', currency: 'CNY', cost: 0, publicReplyAt: null, contactAttempts: 0,
    });
    // SPEC §9: the first contact attempt is due within 24 h of the review.
    expect(new Date(opened.firstContactDueAt).getTime()).toBe(reviewedAt.getTime() + DAY);
    expect(opened.dueAt).toBe(opened.firstContactDueAt);
    expect(opened.allowedActions).toEqual(['log-contact', 'revise', 'flag-extortion', 'close-unreached', 'reply', 'assign', 'note']);
    expect(opened.timeline[0]).toMatchObject({ action: 'create', actor: { type: 'platform', id: null }, to: 'open' });

    const cal = await t.app.get(CalendarService).forMerchant(t.merchantId, 'Asia/Shanghai');
    expect(cal.isWorkingDay('2026-10-01')).toBe(false); // 国庆节 in the merchant's default calendar

    // 20:30 + 2 h is in the quiet hours: the next attempt is 09:00 on 1 October — a holiday, when customers may still be called.
    const first = await act(agent.token, id, 'log-contact', { outcome: 'no_answer', attemptedAt: at('2026-09-30T20:30:00').toISOString(), note: '无人接听' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'contacting', contactAttempts: 1, lastContactOutcome: 'no_answer', lastContactChannel: 'phone' });
    expect(new Date(first.body.nextAttemptAt).getTime()).toBe(at('2026-10-01T09:00:00').getTime());
    expect(first.body.dueAt).toBe(first.body.nextAttemptAt);
    expect(new Date(first.body.firstContactedAt).getTime()).toBe(at('2026-09-30T20:30:00').getTime());

    const second = await act(agent.token, id, 'log-contact', { outcome: 'no_answer', attemptedAt: at('2026-10-01T19:30:00').toISOString() });
    expect(second.body).toMatchObject({ status: 'contacting', contactAttempts: 2 });
    expect(new Date(second.body.nextAttemptAt).getTime()).toBe(at('2026-10-02T09:00:00').getTime());
    for (const next of [first.body.nextAttemptAt, second.body.nextAttemptAt]) expect(cal.isQuietTime(new Date(next))).toBe(false);

    // Calls are logged after they happen, never before the review.
    expect((await act(agent.token, id, 'log-contact', { outcome: 'reached', attemptedAt: new Date(Date.now() + DAY).toISOString() })).status).toBe(400);
    expect((await act(agent.token, id, 'log-contact', { outcome: 'reached', attemptedAt: at('2026-09-29T09:00:00').toISOString() })).status).toBe(422);
    const early = await act(agent.token, id, 'diagnose', { rootCause: 'logistics', serviceCaused: false });
    expect(early.status).toBe(409);
    expect(early.body.message).toBe('Cannot diagnose a review in status contacting; allowed actions: log-contact, revise, flag-extortion, close-unreached, reply, assign, note');

    const reached = await act(agent.token, id, 'log-contact', { outcome: 'reached', attemptedAt: at('2026-10-02T09:10:00').toISOString() });
    expect(reached.body).toMatchObject({ status: 'reached', contactAttempts: 3, nextAttemptAt: null });
    const diagnosed = await act(agent.token, id, 'diagnose', { rootCause: 'logistics', serviceCaused: true, diagnosis: '客服未及时跟进物流', responsibleStaffId: agent.id });
    expect(diagnosed.body).toMatchObject({ status: 'diagnosed', rootCause: 'logistics', serviceCaused: true, responsibleStaffId: agent.id });

    // [001] within the cap (10 % of 300.00 = 30.00) an agent offers alone; above it 403 naming the cap; a supervisor may.
    const gift = await act(agent.token, id, 'offer-remedy', { type: 'gift', amount: 3_000, description: '赠送同款试用装' });
    expect(gift.status).toBe(200);
    expect(gift.body).toMatchObject({ status: 'remedy_offered', remedy: { type: 'gift', amount: 3_000, cap: 3_000, overCap: false, offeredBy: agent.id } });
    const over = await act(agent.token, id, 'offer-remedy', { type: 'refund', amount: 4_000 });
    expect(over.status).toBe(403);
    expect(over.body.message).toBe('offering 40.00 needs a supervisor: the remedy cap is 30.00 (10 % of the order\'s 300.00, at most 50.00) [001]');
    expect((await get(id)).remedy).toMatchObject({ type: 'gift', amount: 3_000 });
    expect((await act(supervisor.token, id, 'offer-remedy', { type: 'refund', amount: 30_001 })).status).toBe(422); // above what was paid
    const bySupervisor = await act(supervisor.token, id, 'offer-remedy', { type: 'refund', amount: 4_000, description: '部分退款' });
    expect(bySupervisor.body).toMatchObject({ status: 'remedy_offered', remedy: { type: 'refund', amount: 4_000, cap: 3_000, overCap: true, offeredBy: supervisor.id } });

    const accepted = await act(agent.token, id, 'accept', { expectedVersion: bySupervisor.body.version });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'awaiting_revision', cost: 0 });
    expect(accepted.body.refunds).toHaveLength(1);
    const refund = accepted.body.refunds[0];
    expect(refund).toMatchObject({ status: 'pending', amount: 4_000, source: { type: 'review', id }, method: 'manual' });
    expect(accepted.body.refundId).toBe(refund.id);
    await t.http().post(`/api/v1/refunds/${refund.id}/record-manual`).set(bearer(finance.token)).send({ externalReference: 'ALIPAY-42' }).expect(200);
    expect((await get(id)).cost).toBe(4_000); // the refund succeeded: the case's cost is current

    // The platform reports 5 stars: closed as revised, rating before and after kept.
    const revised = await sendReview('review.updated', { reviewId, orderId: order.platformOrderId, rating: 5, content: '客服很负责，已解决', reviewedAt: reviewedAt.toISOString() });
    expect(revised).toEqual({ delivery: 'processed', reviewId: id });
    const done = await get(id);
    expect(done).toMatchObject({ status: 'closed', outcome: 'revised', rating: 5, ratingBefore: 2, ratingAfter: 5, content: '客服很负责，已解决', dueAt: null, cost: 4_000 });
    expect(done.closedAt).not.toBeNull();
    expect(done.allowedActions).toEqual(['note']);
    expect(path(done).filter((p: string) => !p.startsWith('log-contact') && !p.startsWith('offer-remedy') && !p.startsWith('refund'))).toEqual([
      'create:>open', 'diagnose:reached>diagnosed', 'accept:remedy_offered>awaiting_revision', 'revise:awaiting_revision>closed',
    ]);
    expect(done.timeline.at(-1).actor).toEqual({ type: 'platform', id: null });

    // The created delivery again (an older version, another delivery id) changes nothing.
    expect((await sendReview('review.created', { reviewId, orderId: order.platformOrderId, rating: 2, content: 'x', reviewedAt: reviewedAt.toISOString() }, reviewedAt)).delivery).toBe('ignored');
    expect((await get(id)).version).toBe(done.version);
  });

  it('the 7-day unrevised timer fires once (two sweeps); mark-unrevised by hand too', async () => {
    const { id } = await diagnosedReview(3);
    await act(agent.token, id, 'offer-remedy', { type: 'apology', description: '真诚道歉' }).expect(200);
    const waiting = await act(agent.token, id, 'accept');
    expect(waiting.body).toMatchObject({ status: 'awaiting_revision', cost: 0, refunds: [] });
    const due = new Date(waiting.body.dueAt).getTime();
    expect(due - new Date(waiting.body.remedy.acceptedAt).getTime()).toBe(7 * DAY);

    const sweeper = t.app.get(DueSweeper);
    const outcomes = async (when: Date) => (await sweeper.sweep(when)).filter((r) => r.id === id).map((r) => r.outcome);
    expect(await outcomes(new Date(due - 60_000))).toEqual([]);
    expect(await outcomes(new Date(due + 1_000))).toEqual(['fired']);
    expect(await outcomes(new Date(due + 1_000))).toEqual([]);
    const closed = await get(id);
    expect(closed).toMatchObject({ status: 'closed', outcome: 'unrevised', ratingBefore: 3, ratingAfter: null });
    const fired = closed.timeline.filter((e: { action: string }) => e.action === 'mark-unrevised');
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ actor: { type: 'system', id: null }, data: { timer: true } });

    const other = await diagnosedReview(1);
    await act(agent.token, other.id, 'offer-remedy', { type: 'gift', amount: 500 }).expect(200);
    const accepted = await act(agent.token, other.id, 'accept');
    expect(accepted.body.cost).toBe(500); // a gift costs the goods at once
    const byHand = await act(agent.token, other.id, 'mark-unrevised', { note: '客户表示不会修改评价' });
    expect(byHand.body).toMatchObject({ status: 'closed', outcome: 'unrevised', cost: 500 });
  });

  it('[001 敲诈] extortion needs evidence, blocks an agent\'s money offer (403) but not a supervisor\'s; a supervisor may refuse the demand', async () => {
    const { id } = await diagnosedReview(1, 50_000);
    const noEvidence = await act(agent.token, id, 'flag-extortion', { description: '买家称不退款50元就不改差评', demandedAmount: 5_000 });
    expect(noEvidence.status).toBe(422);
    expect(noEvidence.body.message).toMatch(/upload the chat screenshots or PDF transcript first/);

    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const up = await t.http().post(`/api/v1/reviews/${id}/evidence`).set(bearer(agent.token))
      .attach('chat_transcript', pngImage(31), { filename: '聊天截图.png', contentType: 'image/png' })
      .attach('chat_transcript', pdf, { filename: 'chat.pdf', contentType: 'application/pdf' });
    expect(up.status).toBe(201);
    expect(up.body.attachments.map((a: { kind: string; mime: string }) => [a.kind, a.mime])).toEqual([['chat_transcript', 'image/png'], ['chat_transcript', 'application/pdf']]);
    expect((await t.http().post(`/api/v1/reviews/${id}/evidence`).set(bearer(agent.token)).attach('item', pngImage(32), { filename: 'x.png' })).status).toBe(422);

    const flagged = await act(agent.token, id, 'flag-extortion', { description: '买家称不退款50元就不改差评', demandedAmount: 5_000 });
    expect(flagged.body).toMatchObject({ status: 'escalated', extortionFlaggedBy: agent.id, extortionDemandedAmount: 5_000 });
    expect(flagged.body.evidence).toHaveLength(2);
    expect(flagged.body.dueAt).not.toBeNull();

    // Within the cap (50.00) still: after extortion only a supervisor offers money.
    const agentMoney = await act(agent.token, id, 'offer-remedy', { type: 'gift', amount: 1_000 });
    expect(agentMoney.status).toBe(403);
    expect(agentMoney.body.message).toBe('extortion was flagged on this review: only a supervisor may offer money (10.00 asked)');
    expect((await act(agent.token, id, 'refuse-demand', { reason: '已向平台举报' })).status).toBe(403);
    const sup = await act(supervisor.token, id, 'offer-remedy', { type: 'refund', amount: 1_000, description: '按实际损失退款' });
    expect(sup.body).toMatchObject({ status: 'remedy_offered', remedy: { type: 'refund', amount: 1_000, overCap: false } });
    expect((await act(agent.token, id, 'offer-remedy', { type: 'refund', amount: 500 })).status).toBe(403); // the flag stays
    expect((await act(agent.token, id, 'offer-remedy', { type: 'apology' })).body.status).toBe('remedy_offered');
    const declined = await act(agent.token, id, 'decline', { reason: '买家坚持要求50元' });
    expect(declined.body).toMatchObject({ status: 'closed', outcome: 'declined', closeReason: '买家坚持要求50元', cost: 0 });

    const second = await diagnosedReview(1);
    await t.http().post(`/api/v1/reviews/${second.id}/evidence`).set(bearer(agent.token)).attach('file', pngImage(33), { filename: 'chat.png' }).expect(201);
    await act(agent.token, second.id, 'flag-extortion', { description: '要求返现' }).expect(200);
    const refused = await act(supervisor.token, second.id, 'refuse-demand', { reason: '证据已提交平台，拒绝要求' });
    expect(refused.body).toMatchObject({ status: 'closed', outcome: 'extortion_refused', extortionDescription: '要求返现' });
  });

  it('a public reply reaches the fake platform signed, once; on a Shopify shop it is manual, to paste; a refused reply is failed on the timeline', async () => {
    const reviewedAt = new Date(Date.now() - 2 * HOUR);
    const reviewId = `RV-${randomUUID()}`;
    const { reviewId: id } = await sendReview('review.created', { reviewId, orderId: 'P-unknown', rating: 3, content: '一般', reviewedAt: reviewedAt.toISOString() });
    expect((await get(id!)).orderId).toBeNull();
    const replied = await act(agent.token, id!, 'reply', { text: '亲，非常抱歉给您带来不便，我们已安排专人跟进。' });
    expect(replied.status).toBe(200);
    expect(replied.body).toMatchObject({ status: 'open', publicReply: '亲，非常抱歉给您带来不便，我们已安排专人跟进。' });
    expect(replied.body.publicReplyAt).not.toBeNull();
    expect(replied.body.replies).toEqual([expect.objectContaining({ delivery: 'platform', status: 'queued', manualReason: null, createdBy: agent.id })]);
    const replyId = replied.body.replies[0].id;

    await t.app.get(OutboxService).dispatch();
    await t.app.get(OutboxService).dispatch();
    const calls = platform.calls.filter((c) => c.body.data?.replyId === replyId);
    expect(calls).toHaveLength(1);
    expect(calls[0].validSignature).toBe(true);
    expect(calls[0].headers['idempotency-key']).toBe(replyId);
    expect(calls[0].body).toMatchObject({ topic: 'review.reply', data: { reviewId, orderId: 'P-unknown', replyId, text: '亲，非常抱歉给您带来不便，我们已安排专人跟进。' } });
    const sent = await get(id!);
    expect(sent.replies[0]).toMatchObject({ status: 'sent', delivery: 'platform' });
    expect(sent.replies[0].sentAt).not.toBeNull();

    platform.answer = 422;
    const again = await act(agent.token, id!, 'reply', { text: '补充说明' });
    await t.app.get(OutboxService).dispatch();
    platform.answer = 200;
    const failed = await get(id!);
    expect(failed.replies.map((r: { status: string }) => r.status)).toEqual(['sent', 'failed']);
    expect(failed.replies[1].failureReason).toBe('reply endpoint answered 422');
    expect(failed.timeline.at(-1)).toMatchObject({ action: 'reply-failed', actor: { type: 'system', id: null }, data: { replyId: again.body.replies[1].id } });

    const before = platform.calls.length;
    const c = await t.http().post('/api/v1/reviews').set(bearer(agent.token)).send({ shopId: shopify.id, rating: 1, content: 'Broken on arrival', reviewedAt: reviewedAt.toISOString() });
    expect(c.body).toMatchObject({ status: 'open', source: 'staff', assigneeId: agent.id, currency: 'CNY' });
    const manual = await act(agent.token, c.body.id, 'reply', { text: 'Sorry — we are sending a replacement.' });
    expect(manual.body.replies).toEqual([expect.objectContaining({ delivery: 'manual', status: 'manual', manualReason: expect.stringMatching(/^Shopify has no API for replying to reviews/) })]);
    expect(manual.body.publicReplyAt).not.toBeNull();
    await t.app.get(OutboxService).dispatch();
    expect(platform.calls.length).toBe(before);

    const unreplied = await t.http().get(`/api/v1/reviews?shopId=${shopify.id}&publicReply=false`).set(bearer(agent.token));
    expect(unreplied.body.items).toEqual([]);
  });

  it('4–5 stars are no_action; the same platform review is one review; good reviews take no recovery action', async () => {
    const reviewId = `RV-${randomUUID()}`;
    const good = await sendReview('review.created', { reviewId, rating: 4, content: '不错', reviewedAt: new Date().toISOString() });
    const r = await get(good.reviewId!);
    expect(r).toMatchObject({ status: 'no_action', grade: 'good', dueAt: null, firstContactDueAt: null, allowedActions: ['note'] });
    for (const [action, body] of [['log-contact', { outcome: 'reached' }], ['reply', { text: '谢谢' }], ['flag-extortion', { description: 'x' }]] as const) {
      expect((await act(agent.token, r.id, action, body)).status).toBe(409);
    }
    const dup = await t.http().post('/api/v1/reviews').set(bearer(agent.token)).send({ shopId: shop.id, platformReviewId: reviewId, rating: 1, content: 'x', reviewedAt: new Date().toISOString() });
    expect(dup.status).toBe(409);
    expect(dup.body.details).toEqual({ reviewId: r.id });
    expect((await t.db.query('SELECT count(*)::int AS n FROM reviews WHERE platform_review_id = $1', [reviewId]))[0].n).toBe(1);

    // A later edit that is no revision is recorded on the row; the status stays.
    const edited = await sendReview('review.updated', { reviewId, rating: 5, content: '很好', reviewedAt: new Date().toISOString() }, new Date(Date.now() + 1_000));
    expect(edited.delivery).toBe('processed');
    expect(await get(r.id)).toMatchObject({ status: 'no_action', rating: 5, ratingBefore: 4, content: '很好' });

    const staff = await t.http().post('/api/v1/reviews').set(bearer(agent.token)).send({ shopId: shop.id, rating: 5, content: '', reviewedAt: new Date().toISOString() });
    expect(staff.body).toMatchObject({ status: 'no_action', source: 'staff', content: '' });
    // A review.updated of a review never seen creates it.
    const late = await sendReview('review.updated', { reviewId: `RV-${randomUUID()}`, rating: 2, content: '差', reviewedAt: new Date().toISOString() });
    expect((await get(late.reviewId!)).status).toBe('open');
  });

  it('every action not allowed from the current status answers 409 naming the status and the allowed actions', async () => {
    const bodies: Record<string, object> = {
      'log-contact': { outcome: 'no_answer' }, diagnose: { rootCause: 'other', serviceCaused: false }, 'offer-remedy': { type: 'apology' }, accept: {}, decline: {},
      revise: { rating: 5 }, 'mark-unrevised': {}, 'flag-extortion': { description: 'x' }, 'refuse-demand': { reason: 'x' }, 'close-unreached': { reason: 'x' },
      reply: { text: 'x' }, assign: { assigneeId: null }, note: { note: 'x' },
    };
    const routes = Object.entries(reviewMachine.actions).filter(([, a]) => !a.internal).map(([name]) => name);
    expect(routes.sort()).toEqual(Object.keys(bodies).sort());

    // One review in each state.
    const inState: Record<string, string> = {};
    const fresh = async (rating = 2) => (await t.http().post('/api/v1/reviews').set(bearer(agent.token)).send({ shopId: shop.id, rating, content: 'x', reviewedAt: new Date().toISOString() })).body.id as string;
    inState.open = await fresh();
    inState.no_action = await fresh(5);
    inState.contacting = await fresh();
    await act(agent.token, inState.contacting, 'log-contact', { outcome: 'refused' }).expect(200);
    inState.reached = await fresh();
    await act(agent.token, inState.reached, 'log-contact', { outcome: 'reached' }).expect(200);
    inState.diagnosed = (await diagnosedReview()).id;
    inState.remedy_offered = (await diagnosedReview()).id;
    await act(agent.token, inState.remedy_offered, 'offer-remedy', { type: 'apology' }).expect(200);
    inState.awaiting_revision = (await diagnosedReview()).id;
    await act(agent.token, inState.awaiting_revision, 'offer-remedy', { type: 'apology' }).expect(200);
    await act(agent.token, inState.awaiting_revision, 'accept').expect(200);
    inState.escalated = await fresh();
    await t.http().post(`/api/v1/reviews/${inState.escalated}/evidence`).set(bearer(agent.token)).attach('file', pngImage(41), { filename: 'c.png' }).expect(201);
    await act(agent.token, inState.escalated, 'flag-extortion', { description: 'x' }).expect(200);
    inState.closed = await fresh();
    await act(agent.token, inState.closed, 'close-unreached', { reason: '三次未接通' }).expect(200);
    expect((await get(inState.closed)).outcome).toBe('unreached');

    let refused = 0;
    for (const [status, id] of Object.entries(inState)) {
      expect((await get(id)).status).toBe(status);
      for (const action of routes) {
        if ((reviewMachine.actions[action].from as readonly string[]).includes(status)) continue;
        const before = (await get(id, supervisor.token)).version;
        const res = await act(supervisor.token, id, action, bodies[action]);
        expect({ status, action, code: res.status }).toEqual({ status, action, code: 409 });
        expect(res.body.message).toMatch(new RegExp(`^Cannot ${action} a review in status ${status}; allowed actions: `));
        expect(res.body.details.status).toBe(status);
        expect((await get(id, supervisor.token)).version).toBe(before);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(60);
  });

  it('another merchant sees none of it (404), settings change the cap, bad input is 400', async () => {
    const other = await createOtherMerchant(t);
    const { id } = await diagnosedReview(2, 10_000);
    expect((await t.http().get(`/api/v1/reviews/${id}`).set(bearer(other.adminToken))).status).toBe(404);
    expect((await act(other.adminToken, id, 'offer-remedy', { type: 'apology' })).status).toBe(404);
    expect((await t.http().post(`/api/v1/reviews/${id}/evidence`).set(bearer(other.adminToken)).attach('file', pngImage(51), { filename: 'c.png' })).status).toBe(404);
    expect((await t.http().get('/api/v1/reviews').set(bearer(other.adminToken))).body.items).toEqual([]);
    expect((await t.http().post('/api/v1/reviews').set(bearer(other.adminToken)).send({ shopId: shop.id, rating: 1, content: 'x', reviewedAt: new Date().toISOString() })).status).toBe(404);

    expect((await t.http().put('/api/v1/settings/reviews').set(bearer(agent.token)).send({ remedyCapPercent: 50 })).status).toBe(403);
    // 10 % of 100.00 is 10.00; 30 % is 30.00, still under the 50.00 ceiling.
    expect((await act(agent.token, id, 'offer-remedy', { type: 'reship', amount: 2_500 })).status).toBe(403);
    const set = await t.http().put('/api/v1/settings/reviews').set(bearer(t.adminToken)).send({ remedyCapPercent: 30 });
    expect(set.body).toEqual({ remedyCapPercent: 30, remedyCapMax: 5_000, retryAfterMinutes: 120 });
    const ok = await act(agent.token, id, 'offer-remedy', { type: 'reship', amount: 2_500 });
    expect(ok.body.remedy).toMatchObject({ type: 'reship', amount: 2_500, cap: 3_000 });
    await t.http().put('/api/v1/settings/reviews').set(bearer(t.adminToken)).send({ remedyCapPercent: 10 }).expect(200);

    const post = (body: object) => t.http().post('/api/v1/reviews').set(bearer(agent.token)).send(body);
    expect((await post({ shopId: shop.id, rating: 6, content: 'x', reviewedAt: new Date().toISOString() })).status).toBe(400);
    expect((await post({ shopId: shop.id, rating: 2, content: 'x', reviewedAt: new Date(Date.now() + DAY).toISOString() })).status).toBe(400);
    expect((await post({ shopId: shop.id, rating: 2, content: 'x' })).body.details).toEqual([{ field: 'reviewedAt', errors: ['reviewedAt is required'] }]);
    expect((await act(agent.token, id, 'offer-remedy', { type: 'apology', amount: 100 })).status).toBe(400);
    expect((await act(agent.token, id, 'offer-remedy', { type: 'gift' })).status).toBe(400);
    expect((await act(agent.token, id, 'offer-remedy', { type: 'gift', amount: 100, expectedVersion: 1 })).status).toBe(409);
  });
});
