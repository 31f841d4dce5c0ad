import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import fc from 'fast-check';
import { BACKFILL_PAIRING_SQL } from '../../migrations/1764090000000-RefundPairing.js';
import { Role } from '../../src/kernel/auth/roles.js';
import { OutboxService } from '../../src/kernel/outbox/outbox.service.js';
import { bearer, createShop, createStaff, type StaffLogin } from '../support/factories.js';
import { insertPaidOrder, type PaidOrder } from '../support/fake-shopify.js';
import { postGeneric, processDelivery } from '../support/platforms.js';
import { inconsistentSides, oraclePairs, storedPairs } from '../support/reconciliation-oracle.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A generic shop's refund endpoint (docs/refunds.md "webhook"): answers each refund with a platform
 * refund id — the next one the test queued for that platform order, else `GR-<refund id>` — so a
 * test can report the platform's side before our refund learns its id.
 */
class RefundReceiver {
  server!: Server;
  url = '';
  secret = '';
  readonly queued = new Map<string, string[]>();

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['x-signature'] ?? ''));
        if (!m || createHmac('sha256', this.secret).update(`${m[1]}.${body}`).digest('hex') !== m[2]) return void res.writeHead(401).end();
        const d = (JSON.parse(body) as { data: { refundId: string; orderId: string } }).data;
        const platformRefundId = this.queued.get(d.orderId)?.shift() ?? `GR-${d.refundId}`;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ platformRefundId }));
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/refunds`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

interface Sides {
  refund: { status: string; platform_refund_id: string | null; matched_platform_refund_id: string | null; match_result: string | null };
  platform: Array<{ id: string; platform_refund_id: string; matched_refund_id: string | null; match_result: string }>;
}

describe('refund pairing kept on the rows (SPEC §12): either side first, concurrently, the same pairs as the report\'s rule', () => {
  let t: TestApp;
  let supervisor: StaffLogin;
  let finance: StaffLogin;
  let outbox: OutboxService;
  const receiver = new RefundReceiver();
  /** Refunds go out through the signed webhook channel and come back with a platform id. */
  let channel: { id: string; webhookSecret: string };
  /** No channel: finance pays by hand, the refund never learns a platform id (paired by order and amount). */
  let manual: { id: string; webhookSecret: string };
  let seq = 0;

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp({ env: { JOBS_ENABLED: 'false', OUTBOX_BACKOFF_MS: '1' } });
    outbox = t.app.get(OutboxService);
    [supervisor, finance] = await Promise.all([createStaff(t, Role.Supervisor), createStaff(t, Role.Finance)]);
    channel = await createShop(t, { platform: 'generic', name: 'ERP 直连店' });
    manual = await createShop(t, { platform: 'generic', name: '手工退款店' });
    receiver.secret = channel.webhookSecret;
    await t.http().put(`/api/v1/refund-channels/${channel.id}`).set(bearer(t.adminToken)).send({ refundWebhookUrl: receiver.url }).expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  const order = (shopId: string) => insertPaidOrder(t, shopId, { total: 1_000_000, platformOrderId: `PO-${Date.now()}-${seq++}` });
  const refund = async (o: PaidOrder, amount: number): Promise<string> => {
    const res = await t.http().post('/api/v1/refunds').set(bearer(supervisor.token)).send({ orderId: o.id, amount, reason: '补偿' });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  /** Runs the outbox until every refund sent through the channel has its answer. */
  const execute = async () => {
    for (let i = 0; i < 20; i++) {
      await outbox.dispatch();
      const [left] = await t.db.query(`SELECT count(*)::int AS n FROM refunds WHERE method = 'webhook' AND status = 'pending'`);
      if (left.n === 0) return;
    }
    throw new Error('refunds still pending after 20 outbox runs');
  };
  /** The platform reports a refund by its signed generic webhook (`refund.created`). */
  const platform = async (shop: { id: string; webhookSecret: string }, o: PaidOrder, refundId: string, amount: string, refundedAt = new Date()) => {
    const res = await postGeneric(t, shop.id, { id: `evt-${refundId}-${seq++}`, topic: 'refund.created', data: { refundId, orderId: o.platformOrderId, amount, currency: 'CNY', refundedAt: refundedAt.toISOString() } }, { secret: shop.webhookSecret });
    expect(res.status).toBe(200);
    await processDelivery(t, res.body.id);
  };
  const sides = async (refundId: string, o: PaidOrder): Promise<Sides> => {
    const [r] = await t.db.query('SELECT status, platform_refund_id, matched_platform_refund_id, match_result FROM refunds WHERE id = $1', [refundId]);
    const p = await t.db.query('SELECT id, platform_refund_id, matched_refund_id, match_result FROM platform_refunds WHERE platform_order_id = $1 ORDER BY refunded_at, id', [o.platformOrderId]);
    return { refund: r, platform: p };
  };
  const expectOracle = async () => {
    expect(await storedPairs(t.db, t.merchantId)).toEqual(await oraclePairs(t.db, t.merchantId));
    expect(await inconsistentSides(t.db, t.merchantId)).toEqual([]);
  };

  it('internal first, then the platform reports it by id: both rows point at each other, matched', async () => {
    const o = await order(channel.id);
    const id = await refund(o, 1_500);
    expect((await sides(id, o)).refund).toMatchObject({ status: 'pending', matched_platform_refund_id: null, match_result: 'missing_on_platform' });
    await execute();
    expect((await sides(id, o)).refund).toMatchObject({ status: 'succeeded', platform_refund_id: `GR-${id}`, match_result: 'missing_on_platform' });

    await platform(channel, o, `GR-${id}`, '15.00');
    const s = await sides(id, o);
    expect(s.platform).toEqual([{ id: expect.any(String), platform_refund_id: `GR-${id}`, matched_refund_id: id, match_result: 'matched' }]);
    expect(s.refund).toMatchObject({ matched_platform_refund_id: s.platform[0].id, match_result: 'matched' });
    await expectOracle();
  });

  it('platform first: reported before our refund exists, paired by order and amount, then kept when our refund learns the same id', async () => {
    const o = await order(channel.id);
    receiver.queued.set(o.platformOrderId, ['SP-1']);
    await platform(channel, o, 'SP-1', '30.00');
    expect((await sides('00000000-0000-0000-0000-000000000000', o)).platform).toMatchObject([{ matched_refund_id: null, match_result: 'missing_internally' }]);

    const id = await refund(o, 3_000);
    let s = await sides(id, o);
    expect(s.refund).toMatchObject({ status: 'pending', matched_platform_refund_id: s.platform[0].id, match_result: 'matched' });
    expect(s.platform[0]).toMatchObject({ matched_refund_id: id, match_result: 'matched' });

    await execute();
    s = await sides(id, o);
    expect(s.refund).toMatchObject({ status: 'succeeded', platform_refund_id: 'SP-1', matched_platform_refund_id: s.platform[0].id, match_result: 'matched' });
    await expectOracle();
  });

  it('platform first with another amount: apart until our refund learns the platform\'s id, then one pair, amount_mismatch on both rows', async () => {
    const o = await order(channel.id);
    receiver.queued.set(o.platformOrderId, ['SP-2']);
    await platform(channel, o, 'SP-2', '29.00');
    const id = await refund(o, 3_000);
    let s = await sides(id, o);
    expect(s.refund).toMatchObject({ matched_platform_refund_id: null, match_result: 'missing_on_platform' });
    expect(s.platform[0]).toMatchObject({ matched_refund_id: null, match_result: 'missing_internally' });

    await execute();
    s = await sides(id, o);
    expect(s.refund).toMatchObject({ platform_refund_id: 'SP-2', matched_platform_refund_id: s.platform[0].id, match_result: 'amount_mismatch' });
    expect(s.platform[0]).toMatchObject({ matched_refund_id: id, match_result: 'amount_mismatch' });
    await expectOracle();
  });

  it('missing on either side, and a refund that fails lets go of its platform partner', async () => {
    const o = await order(manual.id);
    const unreported = await refund(o, 700);
    const other = await order(manual.id);
    await platform(manual, other, 'ONLY-ON-PLATFORM', '8.00');
    expect((await sides(unreported, o)).refund).toMatchObject({ matched_platform_refund_id: null, match_result: 'missing_on_platform' });
    expect((await sides(unreported, other)).platform).toMatchObject([{ matched_refund_id: null, match_result: 'missing_internally' }]);

    // Paired by order and amount (a manual refund has no platform id), then finance records it failed.
    const failing = await refund(other, 800);
    expect((await sides(failing, other)).refund).toMatchObject({ match_result: 'matched' });
    await t.http().post(`/api/v1/refunds/${failing}/record-failure`).set(bearer(finance.token)).send({ reason: 'bank refused' }).expect(200);
    const s = await sides(failing, other);
    expect(s.refund).toMatchObject({ status: 'failed', matched_platform_refund_id: null, match_result: null });
    expect(s.platform).toMatchObject([{ matched_refund_id: null, match_result: 'missing_internally' }]);
    // Its retry (a new row) takes the platform refund again.
    const retry = await t.http().post(`/api/v1/refunds/${failing}/retry`).set(bearer(supervisor.token)).send({});
    expect(retry.status).toBe(201);
    expect((await sides(retry.body.id, other)).refund).toMatchObject({ matched_platform_refund_id: s.platform[0].id, match_result: 'matched' });
    await expectOracle();
  });

  it('by order and amount, the k-th of each side in time order — re-paired when an earlier platform refund arrives late', async () => {
    const o = await order(manual.id);
    const first = await refund(o, 1_000);
    const second = await refund(o, 1_000);
    const t0 = Date.now();
    await platform(manual, o, 'LATE', '10.00', new Date(t0 + 60_000));
    expect((await sides(first, o)).refund.match_result).toBe('matched');
    expect((await sides(second, o)).refund.match_result).toBe('missing_on_platform');
    await platform(manual, o, 'EARLY', '10.00', new Date(t0 - 60_000));
    const [early, late] = (await sides(first, o)).platform;
    expect(early).toMatchObject({ platform_refund_id: 'EARLY', matched_refund_id: first });
    expect(late).toMatchObject({ platform_refund_id: 'LATE', matched_refund_id: second });
    expect((await sides(second, o)).refund).toMatchObject({ matched_platform_refund_id: late.id, match_result: 'matched' });
    await expectOracle();
  });

  it('concurrent arrival: our refunds settling while the platform reports them (and one report twice) — every pair found once', async () => {
    const orders = await Promise.all(Array.from({ length: 8 }, () => order(channel.id)));
    orders.forEach((o, k) => receiver.queued.set(o.platformOrderId, [`CC-${k}`]));
    const ids = await Promise.all(orders.map((o, k) => refund(o, 1_000 + k)));
    await Promise.all([
      execute(),
      ...orders.map((o, k) => platform(channel, o, `CC-${k}`, ((1_000 + k) / 100).toFixed(2))),
      platform(channel, orders[0], 'CC-0', '10.00'),
    ]);
    for (const [k, o] of orders.entries()) {
      const s = await sides(ids[k], o);
      expect(s.platform).toHaveLength(1);
      expect(s.refund).toMatchObject({ status: 'succeeded', platform_refund_id: `CC-${k}`, matched_platform_refund_id: s.platform[0].id, match_result: 'matched' });
    }
    await expectOracle();
  });

  it('property: any interleaving of refunds, platform reports and failures leaves the pairs the report\'s rule computes', async () => {
    type Event = { kind: 'refund'; order: number; amount: number } | { kind: 'platform'; order: number; amount: number; minutes: number } | { kind: 'fail'; nth: number };
    const event: fc.Arbitrary<Event> = fc.oneof(
      fc.record({ kind: fc.constant('refund' as const), order: fc.nat(1), amount: fc.constantFrom(500, 900) }),
      fc.record({ kind: fc.constant('platform' as const), order: fc.nat(1), amount: fc.constantFrom(500, 900), minutes: fc.integer({ min: -30, max: 30 }) }),
      fc.record({ kind: fc.constant('fail' as const), nth: fc.nat(5) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 9 }), async (events) => {
        const os = [await order(manual.id), await order(manual.id)];
        const made: string[] = [];
        for (const e of events) {
          if (e.kind === 'refund') made.push(await refund(os[e.order], e.amount));
          else if (e.kind === 'platform') await platform(manual, os[e.order], `P-${seq++}`, (e.amount / 100).toFixed(2), new Date(Date.now() + e.minutes * 60_000));
          else if (made.length) {
            const res = await t.http().post(`/api/v1/refunds/${made[e.nth % made.length]}/record-failure`).set(bearer(finance.token)).send({ reason: 'refused' });
            expect([200, 409]).toContain(res.status);
          }
        }
        await expectOracle();
      }),
      { numRuns: 12 },
    );
  });

  it('the migration\'s backfill, run over the same rows, stores the same pairs', async () => {
    const before = await storedPairs(t.db, t.merchantId);
    expect(before.length).toBeGreaterThan(20);
    await t.db.query('UPDATE refunds SET matched_platform_refund_id = NULL, match_result = NULL');
    await t.db.query(`UPDATE platform_refunds SET matched_refund_id = NULL, match_result = 'missing_internally'`);
    await t.db.query(BACKFILL_PAIRING_SQL);
    expect(await storedPairs(t.db, t.merchantId)).toEqual(before);
    await expectOracle();
  });
});
