import { attachmentDisposition, reportFileName } from './csv-filename.js';

const days = { firstDay: '2026-11-01', lastDay: '2026-11-30' };

describe('report file names (SPEC §4: the shop\'s dates)', () => {
  it('all shops: the report and the dates, plain ASCII', () => {
    const f = reportFileName('refund-reconciliation', { ...days, shopId: null, shopName: null });
    expect(f).toEqual({ name: 'refund-reconciliation_2026-11-01_2026-11-30.csv', ascii: 'refund-reconciliation_2026-11-01_2026-11-30.csv' });
    expect(attachmentDisposition(f)).toBe('attachment; filename="refund-reconciliation_2026-11-01_2026-11-30.csv"');
  });

  it('a shop by its name in any script, with an ASCII fallback; its id when the name has no ASCII to show', () => {
    const cn = reportFileName('refund-reconciliation', { ...days, shopId: 'a1b2c3d4-0000-4000-8000-000000000000', shopName: '京东 "旗舰"/店' });
    expect(cn).toEqual({ name: 'refund-reconciliation_京东-旗舰-店_2026-11-01_2026-11-30.csv', ascii: 'refund-reconciliation_a1b2c3d4_2026-11-01_2026-11-30.csv' });
    expect(attachmentDisposition(cn)).toBe(
      `attachment; filename="refund-reconciliation_a1b2c3d4_2026-11-01_2026-11-30.csv"; filename*=UTF-8''refund-reconciliation_${encodeURIComponent('京东-旗舰-店')}_2026-11-01_2026-11-30.csv`,
    );
    // Nothing that could end the quoted filename or a header line survives.
    const odd = reportFileName('r', { ...days, shopId: 'a1b2c3d4-0000-4000-8000-000000000000', shopName: '=cmd|\' /C calc\'!A0\r\nX: y";' });
    expect(attachmentDisposition(odd)).toBe('attachment; filename="r_cmd-C-calc-A0-X-y_2026-11-01_2026-11-30.csv"');
  });
});
