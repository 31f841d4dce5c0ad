// `npm run bench`: every SPEC §13 figure in one run on one PostgreSQL, beside the raw baselines
// measured in the same run, then one table (figure | measured | raw baseline | target | met?)
// and bench/results/latest.json (not committed: README.md keeps the figures worth keeping).
//   BENCH_SECONDS=10 (each HTTP load), BENCH_QUICK=1 (3 s loads, 100,000 shipments / refunds: a smoke run)
// Parts alone: npm run bench:http, bench:scan, bench:csv.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { runHttp } from './http.bench.mjs';
import { runRefundCsv } from './refund-csv.bench.mjs';
import { runStaleScan } from './stale-scan.bench.mjs';
import { CONNECTIONS, machineInfo, QUICK, SECONDS, startPostgres } from './lib.mjs';

const started = Date.now();
const server = await startPostgres();
let report;
try {
  const machine = await machineInfo(server.adminUrl);
  console.log(`machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.ramGb} GB RAM, node ${machine.node}, PostgreSQL ${machine.postgres}${server.embedded ? ' (embedded)' : ''}; load average ${machine.loadAverage.join(' ')}`);
  console.log(`loads: ${SECONDS} s each at ${CONNECTIONS} connections${QUICK ? ' (BENCH_QUICK: smoke run, smaller data)' : ''}\n`);
  const http = await runHttp(server.adminUrl);
  console.log('');
  const scan = await runStaleScan(server.adminUrl);
  console.log('');
  const csv = await runRefundCsv(server.adminUrl);
  machine.loadAverageAtEnd = loadavg().map((l) => Number(l.toFixed(2)));

  const pct = (x, of) => Math.round((100 * x) / of);
  const { rawBare, rawPg, ingestion, processing, caseActions, twoInstances, shutdown } = http;
  const rows = [
    ['raw: bare HTTP handler', `${rawBare.rps} req/s, p99 ${rawBare.p99ms} ms`, '', '', null],
    ['raw: pg INSERT per request', `${rawPg.rps} req/s, p99 ${rawPg.p99ms} ms`, '', '', null],
    ['(a) webhook ingestion, req/s', `${ingestion.rps} req/s = ${pct(ingestion.rps, rawPg.rps)} %`, `${rawPg.rps} req/s`, '≥ 50 % of raw pg', ingestion.rps >= rawPg.rps / 2],
    ['(a) webhook ingestion, p99', `${ingestion.p99ms} ms`, `${rawPg.p99ms} ms`, '< 50 ms', ingestion.p99ms < 50],
    ['(a2) ingestion, 2 instances', `${twoInstances.rps} req/s = ${pct(twoInstances.rps, rawPg.rps)} % (${twoInstances.perInstance.join(' + ')}), p99 ${twoInstances.p99ms} ms`, `${rawPg.rps} req/s`, '(scale-out figure)', null],
    ['(b) backlog → orders', `${processing.ordersPerSecond} orders/s (${processing.orders} in ${processing.seconds} s)`, '', '≥ 1,000 orders/s', processing.ordersPerSecond >= 1000 && processing.pending === 0 && processing.failed === 0],
    ['(c) case actions, req/s', `${caseActions.rps} req/s = ${pct(caseActions.rps, rawPg.rps)} %`, `${rawPg.rps} req/s`, '≥ 30 % of raw pg', caseActions.rps >= rawPg.rps * 0.3],
    ['(c) case actions, p99', `${caseActions.p99ms} ms`, `${rawPg.p99ms} ms`, '< 100 ms', caseActions.p99ms < 100],
    [`(d) stale scan, steady (${scan.steadyOpened} new)`, `${scan.steadyMs} ms`, `idle ${scan.idleMs} ms`, '< 1 s', scan.steadyMs < 1000],
    [`(d) stale scan, backlog (${scan.backlogOpened} new)`, `${scan.backlogMs} ms`, `${scan.shipments.toLocaleString('en')} shipments`, '< 1 s', scan.backlogMs < 1000],
    [`(e) reconciliation CSV, rows/s`, `${csv.rowsPerSecond.toLocaleString('en')} rows/s (${csv.csvRecords.toLocaleString('en')} in ${csv.seconds} s)`, `${csv.refunds.toLocaleString('en')} refunds`, '≥ 100,000 rows/s', csv.rowsPerSecond >= 100_000],
    ['(e) reconciliation CSV, peak RSS', `${csv.servicePeakRssMb} MB`, '', '< 256 MB', csv.servicePeakRssMb < 256],
    ['SIGTERM under load: 5xx ≠ 503', `${shutdown.non503ServerErrors} (answers ${JSON.stringify(shutdown.statuses)})`, '', '0', shutdown.non503ServerErrors === 0],
    ['SIGTERM under load: failed work', `${shutdown.failedJobs} jobs, ${shutdown.failedDeliveries} deliveries, ${shutdown.closedPoolErrorsLogged} closed-pool errors; exit ${shutdown.exitCode} in ${shutdown.exitMs} ms`, '', '0', shutdown.failedJobs === 0 && shutdown.failedDeliveries === 0 && shutdown.closedPoolErrorsLogged === 0 && shutdown.exitCode === 0],
  ];
  const table = rows.map(([figure, measured, raw, target, met]) => ({ figure, measured, 'raw baseline': raw, target, 'met?': met === null ? '' : met ? 'yes' : 'NO' }));
  console.log(`\nSPEC §13 figures (${machine.cpus} × ${machine.cpuModel}, load average ${machine.loadAverage.join(' ')} → ${machine.loadAverageAtEnd.join(' ')}):`);
  printTable(table);
  report = { at: new Date().toISOString(), durationSeconds: Math.round((Date.now() - started) / 1000), quick: QUICK, seconds: SECONDS, connections: CONNECTIONS, machine, http, scan, csv, table };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/latest.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwritten to bench/results/latest.json; total ${report.durationSeconds} s`);
} finally {
  await server.stop();
}

/** A plain-text table (console.table quotes strings and adds an index column). */
function printTable(objs) {
  const cols = Object.keys(objs[0]);
  const width = cols.map((c) => Math.max(c.length, ...objs.map((o) => String(o[c]).length)));
  const line = (cells) => `| ${cells.map((v, i) => String(v).padEnd(width[i])).join(' | ')} |`;
  console.log(line(cols));
  console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const o of objs) console.log(line(cols.map((c) => o[c])));
}
