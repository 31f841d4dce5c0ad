/** [002 绩效 七 后台审单失误] How bad an order-audit error was. */
export enum AuditSeverity {
  /** 严重失误 (−2): wrong goods, wrong amount, a cash-on-delivery mistake; anything that cost the company money. */
  Serious = 'serious',
  /** 一般失误 (−0.5): remark mismatch, wrong or not the best courier, a promised sample not sent. */
  General = 'general',
}
