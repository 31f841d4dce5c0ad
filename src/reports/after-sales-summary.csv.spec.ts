import { parse } from 'csv-parse/sync';
import { summaryCsv } from './after-sales-summary.csv.js';
import type { AfterSalesSummaryDto } from './dto/after-sales-summary.dto.js';

const summary: AfterSalesSummaryDto = {
  period: { from: '2026-11-01T00:00:00+09:00', to: '2026-12-01T00:00:00+09:00', timezone: 'Asia/Tokyo' },
  from: '2026-11-01T00:00:00+09:00',
  to: '2026-12-01T00:00:00+09:00',
  shopId: '00000000-0000-4000-8000-000000000001',
  generatedAt: '2026-12-01T02:00:00.000Z',
  cases: [{ module: 'claim', type: '@SUM(1)', opened: 2, resolved: 1, closed: 0 }, { module: 'return', type: null, opened: 1, resolved: 0, closed: 0 }],
  refundRate: { paidOrders: 3, refundedOrders: 1, rate: 0.3333 },
  compensation: [
    { currency: 'JPY', refunds: 500, refundCount: 1, reships: 0, reshipCount: 0, gifts: 0, giftCount: 0, complaintRemedies: 0, complaintRemedyCount: 0, total: 500, recovered: 800, net: -300 },
    { currency: 'CNY', refunds: 1_234, refundCount: 1, reships: 0, reshipCount: 0, gifts: 0, giftCount: 0, complaintRemedies: 0, complaintRemedyCount: 0, total: 1_234, recovered: 0, net: 1_234 },
  ],
  carrierRecoveries: [],
  sla: [{ module: 'claim', finished: 0, onTime: 0, late: 0, complianceRate: null, openOverdue: 1 }],
  complaints: [],
  followUpSatisfaction: [],
  reviews: [],
};

describe('summaryCsv', () => {
  const text = summaryCsv(summary, '-2+3 店').toString('utf8');
  const records: string[][] = parse(text, { bom: true, relax_column_count: true });

  it('is UTF-8 with a BOM and CRLF record ends, one section per block with a header line and an empty line after it', () => {
    expect(text.startsWith('\uFEFFreport\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const names = records.filter((r) => r.length === 1 && r[0] !== '').map((r) => r[0]);
    expect(names).toEqual(['report', 'cases', 'refund_rate', 'compensation', 'carrier_recoveries', 'sla', 'complaints', 'follow_up_satisfaction', 'reviews']);
    const at = records.findIndex((r) => r[0] === 'sla' && r.length === 1);
    expect(records.slice(at, at + 4)).toEqual([['sla'], ['module', 'finished', 'on_time', 'late', 'compliance_rate', 'open_overdue'], ['claim', '0', '0', '0', '', '1'], ['']]);
  });

  it('neutralises formula-like text, keeps numbers as numbers and writes amounts as decimals of their currency', () => {
    expect(records[2]).toEqual([summary.from, summary.to, 'Asia/Tokyo', summary.shopId, "'-2+3 店", summary.generatedAt]);
    expect(records).toContainEqual(['claim', "'@SUM(1)", '2', '1', '0']);
    expect(records).toContainEqual(['return', '', '1', '0', '0']);
    // JPY has no minor unit; a negative net stays a plain number
    expect(records).toContainEqual(['JPY', '500', '1', '0', '0', '0', '0', '0', '0', '500', '800', '-300']);
    expect(records).toContainEqual(['CNY', '12.34', '1', '0.00', '0', '0.00', '0', '0.00', '0', '12.34', '0.00', '12.34']);
  });
});
