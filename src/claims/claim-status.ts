/** The claim's states (SPEC §8). The one place claim status strings are written. */
export enum ClaimStatus {
  /** Registered (事务登记): waiting for photos, or for the ruling when they came with the report. */
  Reported = 'reported',
  /** Photos asked for [002 让客户提供照片]; the 16:00 clock stands still until they arrive. */
  AwaitingEvidence = 'awaiting_evidence',
  /** Photos uploaded; to be judged. */
  EvidenceReceived = 'evidence_received',
  /** The claim is judged genuine; to be resolved. */
  Verified = 'verified',
  /** The claim is judged not genuine (or otherwise refused). Final. */
  Rejected = 'rejected',
  /** The customer got the resolution (reship, refund or a gift promised). */
  Resolved = 'resolved',
  /** Compensation claimed from the carrier [000 努力做到零赔付]. */
  Recovering = 'recovering',
  /** Done. Final. */
  Closed = 'closed',
}

/** What went wrong with the goods [002 二 破损、渗漏; 三 错发漏发]. */
export enum ClaimType {
  /** 破损 */
  Broken = 'broken',
  /** 少量渗漏 */
  LeakMinor = 'leak_minor',
  /** 大量渗漏 */
  LeakMajor = 'leak_major',
  /** 错发 */
  WrongItem = 'wrong_item',
  /** 漏发 */
  MissingItem = 'missing_item',
}

export enum Resolution {
  /** 补发: a free replacement order. */
  Reship = 'reship',
  /** 退款 through the refund ledger. */
  Refund = 'refund',
  /** 下次以赠品补偿: the customer's next order carries a gift. */
  GiftNextOrder = 'gift_next_order',
}

/** [002] SPEC §8: the only resolutions each type allows. */
export const ALLOWED_RESOLUTIONS: Readonly<Record<ClaimType, readonly Resolution[]>> = {
  [ClaimType.Broken]: [Resolution.Reship, Resolution.Refund],
  [ClaimType.LeakMinor]: [Resolution.GiftNextOrder, Resolution.Refund],
  [ClaimType.LeakMajor]: [Resolution.Reship],
  [ClaimType.WrongItem]: [Resolution.Reship],
  [ClaimType.MissingItem]: [Resolution.Reship],
};

/** Who caused a wrong or missing item [002 三 错发漏发]. */
export enum Responsibility {
  /** 客服审单错误 */
  ReviewError = 'review_error',
  /** 仓库发货错误 */
  WarehouseError = 'warehouse_error',
}

/** Types whose ruling names who is responsible (通告责任人). */
export const FAULT_TYPES: readonly ClaimType[] = [ClaimType.WrongItem, ClaimType.MissingItem];

/** The verify action's verdict. */
export enum Verdict {
  Verified = 'verified',
  Rejected = 'rejected',
}

/** [002] 绩效 七 后台审单失误: kinds of errors, each with its severity. */
export enum AuditErrorKind {
  /** 货品错误 */
  WrongGoods = 'wrong_goods',
  /** 金额错误 */
  WrongAmount = 'wrong_amount',
  /** 货到付款操作错误 */
  CodError = 'cod_error',
  /** 备注不符 */
  RemarkMismatch = 'remark_mismatch',
  /** 快递错误 or not the best carrier (未按最优方式配) */
  WrongCourier = 'wrong_courier',
  /** 送小酒版未送: a promised sample gift not sent */
  MissedSampleGift = 'missed_sample_gift',
}

export enum AuditErrorSeverity {
  /** 严重失误: −2 points */
  Serious = 'serious',
  /** 一般失误: −0.5 points */
  General = 'general',
}

/** [002] 货品错误、金额错误、货到付款操作错误属于较为严重错误; 备注不符、快递错误、送小酒版未送属于一般错误. */
export const SEVERITY_OF: Readonly<Record<AuditErrorKind, AuditErrorSeverity>> = {
  [AuditErrorKind.WrongGoods]: AuditErrorSeverity.Serious,
  [AuditErrorKind.WrongAmount]: AuditErrorSeverity.Serious,
  [AuditErrorKind.CodError]: AuditErrorSeverity.Serious,
  [AuditErrorKind.RemarkMismatch]: AuditErrorSeverity.General,
  [AuditErrorKind.WrongCourier]: AuditErrorSeverity.General,
  [AuditErrorKind.MissedSampleGift]: AuditErrorSeverity.General,
};

export enum InventoryDirection {
  /** Stock is higher than the books (the goods never left). */
  In = 'in',
  /** Stock is lower than the books (other goods left instead). */
  Out = 'out',
}

/** How much of the amount claimed from the carrier came back; kept apart (EasyPost: approved / partially approved / rejected). */
export enum RecoveryOutcome {
  Full = 'full',
  Partial = 'partial',
  None = 'none',
}

/** A promised gift: pending until the customer's next order ships with it. */
export enum GiftStatus {
  Pending = 'pending',
  Given = 'given',
}


/** Basis points of a whole (lossShare 10000 = 100 %). */
export const BASIS_POINTS = 10_000;
