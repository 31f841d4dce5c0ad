import { stringify } from 'csv-stringify/sync';
import { formatMoney } from '../kernel/money/money.js';
import { neutraliseCell } from './csv-safety.js';
import type { AfterSalesSummaryDto } from './dto/after-sales-summary.dto.js';

type Cell = string | number | null;
type Block = Record<string, unknown>;

/** A CSV section: the block's key, its columns (JSON keys), and which of them are amounts. */
interface Section {
  key: string;
  rows: (s: AfterSalesSummaryDto, shopName: string | null) => Block[];
  columns: readonly string[];
  money?: readonly string[];
}

const SECTIONS: readonly Section[] = [
  {
    key: 'report',
    rows: (s, shopName) => [{ from: s.from, to: s.to, timezone: s.period.timezone, shopId: s.shopId, shopName, generatedAt: s.generatedAt }],
    columns: ['from', 'to', 'timezone', 'shopId', 'shopName', 'generatedAt'],
  },
  { key: 'cases', rows: (s) => s.cases as unknown as Block[], columns: ['module', 'type', 'opened', 'resolved', 'closed'] },
  { key: 'refund_rate', rows: (s) => [s.refundRate as unknown as Block], columns: ['paidOrders', 'refundedOrders', 'rate'] },
  {
    key: 'compensation',
    rows: (s) => s.compensation as unknown as Block[],
    columns: ['currency', 'refunds', 'refundCount', 'reships', 'reshipCount', 'gifts', 'giftCount', 'complaintRemedies', 'complaintRemedyCount', 'total', 'recovered', 'net'],
    money: ['refunds', 'reships', 'gifts', 'complaintRemedies', 'total', 'recovered', 'net'],
  },
  {
    key: 'carrier_recoveries',
    rows: (s) => s.carrierRecoveries as unknown as Block[],
    columns: ['module', 'currency', 'claimsFiled', 'amountClaimed', 'casesRecovered', 'recovered', 'full', 'partial', 'none'],
    money: ['amountClaimed', 'recovered'],
  },
  { key: 'sla', rows: (s) => s.sla as unknown as Block[], columns: ['module', 'finished', 'onTime', 'late', 'complianceRate', 'openOverdue'] },
  {
    key: 'complaints',
    rows: (s) => s.complaints as unknown as Block[],
    columns: ['category', 'service', 'warehouse', 'logistics', 'product', 'other', 'unassigned', 'total', 'serious', 'founded'],
  },
  {
    key: 'follow_up_satisfaction',
    rows: (s) => s.followUpSatisfaction as unknown as Block[],
    columns: ['module', 'satisfied', 'neutral', 'unsatisfied', 'answered', 'satisfactionRate'],
  },
  {
    key: 'reviews',
    rows: (s) => s.reviews as unknown as Block[],
    columns: ['currency', 'received', 'closed', 'revised', 'revisedFromBad', 'revisedFromNeutral', 'revisionRate', 'revisedCost', 'closedCost'],
    money: ['revisedCost', 'closedCost'],
  },
];

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function cell(value: unknown, money: boolean, currency: string): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return money ? formatMoney(value, currency) : value;
  return neutraliseCell(String(value));
}

/**
 * The summary for Excel, as the reconciliation's CSV: UTF-8 with a BOM (Chinese text opens
 * right), CRLF records (RFC 4180), text cells neutralised against formula injection (SPEC §12).
 * One section per block: a line naming the block, its header line, its rows, an empty line.
 * Amounts are decimals in their row's currency (the JSON has minor units).
 */
export function summaryCsv(summary: AfterSalesSummaryDto, shopName: string | null): Buffer {
  const records: Cell[][] = [];
  for (const sec of SECTIONS) {
    records.push([sec.key], sec.columns.map(snake));
    for (const row of sec.rows(summary, shopName)) {
      const currency = typeof row.currency === 'string' ? row.currency : 'CNY';
      records.push(sec.columns.map((c) => cell(row[c], sec.money?.includes(c) ?? false, currency)));
    }
    records.push([]);
  }
  return Buffer.from(`\uFEFF${stringify(records, { record_delimiter: 'windows' })}`, 'utf8');
}
