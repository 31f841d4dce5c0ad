/** The complaint's states (SPEC §10, the six steps of [000] 投诉处理流程). The one place these strings are written. */
export enum ComplaintStatus {
  /** 1 投诉受理: registered; the first response is due 12 business hours after it was reported [002]. */
  Received = 'received',
  /** 2–3 投诉判断 → 展开调查: founded; the responsible department and person look into it. */
  Investigating = 'investigating',
  /** Unfounded: the customer got a polite explanation (婉转的方式答复客户); closes when they accept it. */
  Explained = 'explained',
  /** 4 提出处理方案: a remedy plan waits for a supervisor (主管领导…及时作出批示). */
  PlanProposed = 'plan_proposed',
  /** The supervisor approved the plan. */
  Approved = 'approved',
  /** 5 实施处理方案: carried out; waiting for the customer to accept it (请顾客签字). */
  Implemented = 'implemented',
  /** The customer accepted; the follow-up call is due within 3 days [000 三天之内回访]. */
  AwaitingFollowUp = 'awaiting_follow_up',
  /** Done. */
  Closed = 'closed',
}

/** How the complaint reached us [000 QQ、E-mail、电话方式、面谈方式]. */
export enum ComplaintChannel {
  Phone = 'phone',
  Chat = 'chat',
  /** The marketplace's complaint or dispute channel (投诉, 举报) [002 查看是否有投诉, 举报]. */
  Platform = 'platform',
  Email = 'email',
  Other = 'other',
}

/**
 * The rows of the 顾客投诉分类统计表 the supervisor fills in [000 step 6]: what the complaint is
 * about, as an online shop's complaints divide.
 */
export enum ComplaintCategory {
  /** 商品质量: the goods are faulty, broken or leaking. */
  ProductQuality = 'product_quality',
  /** 物流: late, stuck, lost, rough delivery. */
  Logistics = 'logistics',
  /** 服务态度: how staff spoke or acted. */
  ServiceAttitude = 'service_attitude',
  /** 错发 / 漏发: the wrong item, or an item missing. */
  WrongOrMissing = 'wrong_or_missing',
  /** 价格: price, promotion or overcharge disputes. */
  Price = 'price',
  /** 售后: how a return, refund or claim was handled. */
  AfterSales = 'after_sales',
  Other = 'other',
}

/** `serious` is put in front of supervisors at once [000 视情节轻重及时上报]. */
export enum ComplaintSeverity {
  Normal = 'normal',
  Serious = 'serious',
}

/** 责任部门 (SPEC §10) [000: 确定被投诉的责任部门]. */
export enum ComplaintDepartment {
  Service = 'service',
  Warehouse = 'warehouse',
  Logistics = 'logistics',
  Product = 'product',
  Other = 'other',
}

/** How the customer accepted the implemented plan [000 确认顾客接受解决方案后请顾客签字]. */
export enum ComplaintAcceptance {
  /** Signed (a signed form, an e-signature). */
  Signed = 'signed',
  /** Confirmed in a call, chat or message. */
  Confirmed = 'confirmed',
}

/** [002] 接到客户反馈后正常应在12个工作小时内给予回复. */
export const FIRST_RESPONSE_BUSINESS_HOURS = 12;

/** Days an explanation waits for the customer's answer before the complaint closes by itself. */
export const EXPLAINED_CLOSE_AFTER_DAYS = 3;
