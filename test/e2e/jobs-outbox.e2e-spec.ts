import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import axios from 'axios';
import { JobsService } from '../../src/kernel/jobs/jobs.service.js';
import { MaintenanceService } from '../../src/kernel/jobs/maintenance.service.js';
import { OutboxService } from '../../src/kernel/outbox/outbox.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A real HTTP receiver on 127.0.0.1 standing in for an outside system. */
class Receiver {
  server: Server;
  url = '';
  received: Array<{ body: Record<string, unknown>; headers: IncomingMessage['headers'] }> = [];
  failNext = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        if (this.failNext > 0) {
          this.failNext--;
          res.writeHead(503).end('try later');
          return;
        }
        this.received.push({ body: JSON.parse(data) as Record<string, unknown>, headers: req.headers });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    const addr = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${addr.port}/hook`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

const receiver = new Receiver();
const jobRuns: Array<Record<string, unknown>> = [];

@Injectable()
class TestEffects implements OnModuleInit {
  constructor(
    private readonly outbox: OutboxService,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    // An outbound call with a stable idempotency key: safe to run again.
    this.outbox.registerHandler<{ text: string }>('test.notify', async (msg) => {
      await axios.post(receiver.url, { text: msg.payload.text, messageId: msg.id }, { timeout: 2000, headers: { 'idempotency-key': `outbox-${msg.id}` } });
      return { delivered: true };
    });
    this.jobs.define('test.job', async (data) => {
      jobRuns.push(data as Record<string, unknown>);
    });
  }
}

@Module({ providers: [TestEffects] })
class TestEffectsModule {}

describe('durable jobs (pg-boss) and the transactional outbox', () => {
  let t: TestApp;
  let outbox: OutboxService;
  let jobs: JobsService;

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp({ extraModules: [TestEffectsModule], env: { OUTBOX_BACKOFF_MS: '1', OUTBOX_MAX_ATTEMPTS: '3' } });
    outbox = t.app.get(OutboxService);
    jobs = t.app.get(JobsService);
  });
  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  const waitFor = async (cond: () => Promise<boolean> | boolean, ms = 10_000) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('condition not met in time');
  };

  it('runs a queued job through pg-boss in the same database', async () => {
    await jobs.send('test.job', { n: 42 });
    await waitFor(() => jobRuns.some((d) => d.n === 42));
    const rows = await t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'test.job'`);
    expect(rows[0].n).toBeGreaterThanOrEqual(1);
  });

  it('keeps a delayed job queued with its start time', async () => {
    const at = new Date(Date.now() + 3600_000);
    await jobs.send('test.job', { later: true }, { startAfter: at });
    const pending = await jobs.pending('test.job');
    const mine = pending.find((p) => p.data.later === true);
    expect(mine).toBeDefined();
    expect(Math.abs(new Date(mine!.startAfter).getTime() - at.getTime())).toBeLessThan(1000);
    expect(jobRuns.some((d) => d.later === true)).toBe(false);
  });

  it('writes nothing when the transaction that enqueued the message rolls back', async () => {
    await expect(
      t.db.transaction(async (m) => {
        await outbox.enqueue(m, { merchantId: t.merchantId, kind: 'test.notify', payload: { text: 'never' } });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    const rows = await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'text' = 'never'`);
    expect(rows[0].n).toBe(0);
  });

  it('delivers a committed message once, even with two dispatchers racing', async () => {
    const id = await t.db.transaction((m) => outbox.enqueue(m, { merchantId: t.merchantId, kind: 'test.notify', payload: { text: 'hello' }, dedupeKey: 'hello-1' }));
    expect(id).toEqual(expect.any(String));
    const again = await t.db.transaction((m) => outbox.enqueue(m, { merchantId: t.merchantId, kind: 'test.notify', payload: { text: 'hello' }, dedupeKey: 'hello-1' }));
    expect(again).toBeNull();
    await Promise.all([outbox.dispatch(), outbox.dispatch(), outbox.dispatch()]);
    await waitFor(async () => (await t.db.query(`SELECT status FROM outbox WHERE id = $1`, [id]))[0].status === 'done');
    expect(receiver.received.filter((r) => r.body.text === 'hello')).toHaveLength(1);
    const [row] = await t.db.query('SELECT status, attempts, result FROM outbox WHERE id = $1', [id]);
    expect(row).toMatchObject({ status: 'done', attempts: 1, result: { delivered: true } });
  });

  it('retries a failing side effect with backoff until it succeeds', async () => {
    receiver.failNext = 2;
    const id = await t.db.transaction((m) => outbox.enqueue(m, { merchantId: t.merchantId, kind: 'test.notify', payload: { text: 'flaky' } }));
    await waitFor(async () => {
      await outbox.dispatch();
      return (await t.db.query(`SELECT status FROM outbox WHERE id = $1`, [id]))[0].status === 'done';
    });
    const [row] = await t.db.query('SELECT attempts, last_error FROM outbox WHERE id = $1', [id]);
    expect(row.attempts).toBe(3);
    expect(receiver.received.filter((r) => r.body.text === 'flaky')).toHaveLength(1);
  });

  it('gives up after the maximum attempts and marks the message dead', async () => {
    receiver.failNext = 100;
    const id = await t.db.transaction((m) => outbox.enqueue(m, { merchantId: t.merchantId, kind: 'test.notify', payload: { text: 'doomed' } }));
    await waitFor(async () => {
      await outbox.dispatch();
      return (await t.db.query(`SELECT status FROM outbox WHERE id = $1`, [id]))[0].status === 'dead';
    });
    receiver.failNext = 0;
    const [row] = await t.db.query('SELECT attempts, last_error FROM outbox WHERE id = $1', [id]);
    expect(row.attempts).toBe(3);
    expect(row.last_error).toContain('503');
  });

  it('marks a message of an unknown kind dead at once', async () => {
    const id = await t.db.transaction((m) => outbox.enqueue(m, { merchantId: t.merchantId, kind: 'test.nobody', payload: {} }));
    // the dispatcher job woken by the enqueue may claim it first; either way it ends dead after one attempt
    await waitFor(async () => {
      await outbox.dispatch();
      return (await t.db.query(`SELECT status FROM outbox WHERE id = $1`, [id]))[0].status === 'dead';
    });
    const [row] = await t.db.query('SELECT status, last_error FROM outbox WHERE id = $1', [id]);
    expect(row).toMatchObject({ status: 'dead', last_error: 'no outbox handler for test.nobody' });
  });
});

describe('maintenance', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('forgets expired sessions and idempotency keys, keeps live ones', async () => {
    await t.db.query(`INSERT INTO idempotency_keys (merchant_id, key, request_hash, state, expires_at) VALUES ($1, 'old', 'h', 'done', now() - interval '1 hour'), ($1, 'new', 'h', 'done', now() + interval '1 hour')`, [t.merchantId]);
    await t.db.query(`UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE token_hash = (SELECT token_hash FROM sessions ORDER BY created_at LIMIT 1)`);
    const before = (await t.db.query('SELECT count(*)::int AS n FROM sessions'))[0].n;
    const removed = await t.app.get(MaintenanceService).cleanup();
    expect(removed).toMatchObject({ sessions: 1, idempotencyKeys: 1 });
    expect((await t.db.query('SELECT key FROM idempotency_keys')).map((r: { key: string }) => r.key)).toEqual(['new']);
    expect((await t.db.query('SELECT count(*)::int AS n FROM sessions'))[0].n).toBe(before - 1);
  });
});

const runs: Array<{ instance: string; n: number }> = [];

function countingModule(instance: string) {
  @Injectable()
  class CountingJob implements OnModuleInit {
    constructor(private readonly jobs: JobsService) {}
    onModuleInit(): void {
      this.jobs.define('test.count', async (data) => {
        runs.push({ instance, n: Number((data as { n: number }).n) });
      });
    }
  }
  @Module({ providers: [CountingJob] })
  class CountingModule {}
  return CountingModule;
}

describe('timers across instances and restarts', () => {
  const waitUntil = async (cond: () => boolean, ms = 15_000) => {
    const until = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > until) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('runs each job once with two instances on one database', async () => {
    const a = await startTestApp({ extraModules: [countingModule('a')] });
    const b = await startTestApp({ databaseUrl: a.databaseUrl, extraModules: [countingModule('b')] });
    try {
      for (let n = 1; n <= 8; n++) await a.app.get(JobsService).send('test.count', { n });
      await waitUntil(() => runs.filter((r) => r.n >= 1 && r.n <= 8).length >= 8);
      await new Promise((r) => setTimeout(r, 1500)); // give a duplicate the chance to show up
      const seen = runs.filter((r) => r.n >= 1 && r.n <= 8).map((r) => r.n).sort((x, y) => x - y);
      expect(seen).toEqual(Array.from({ length: 8 }, (_, k) => k + 1));
    } finally {
      await b.close();
      await a.close();
    }
  });

  it('drains a backlog back to back, not one job per polling interval', async () => {
    const t = await startTestApp({ extraModules: [countingModule('drain')], env: { JOBS_POLL_SECONDS: '2' } });
    try {
      const jobs = t.app.get(JobsService);
      await Promise.all(Array.from({ length: 60 }, (_, k) => jobs.send('test.count', { n: 1000 + k })));
      // One job per 2 s poll would need two minutes; the bounded wait fails long before that.
      await waitUntil(() => runs.filter((r) => r.n >= 1000 && r.n < 1060).length === 60, 20_000);
      expect(new Set(runs.filter((r) => r.n >= 1000 && r.n < 1060).map((r) => r.n)).size).toBe(60);
    } finally {
      await t.close();
    }
  });

  it('keeps a pending timer across a restart and fires it after', async () => {
    const first = await startTestApp({ extraModules: [countingModule('first')] });
    await first.app.get(JobsService).send('test.count', { n: 100 }, { startAfter: new Date(Date.now() + 2500) });
    await first.close();
    expect(runs.some((r) => r.n === 100)).toBe(false);
    const second = await startTestApp({ databaseUrl: first.databaseUrl, extraModules: [countingModule('second')] });
    try {
      await waitUntil(() => runs.some((r) => r.n === 100));
      expect(runs.filter((r) => r.n === 100)).toEqual([{ instance: 'second', n: 100 }]);
    } finally {
      await second.close();
    }
  });
});
