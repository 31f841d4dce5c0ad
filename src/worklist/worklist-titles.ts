import { formatMoney } from '../kernel/money/money.js';

/** zh-CN word and English of a code, as the seeds name it. */
type Label = readonly [string, string];

const CLAIM_TYPES: Record<string, Label> = {
  broken: ['破损', 'breakage'],
  leak_minor: ['少量渗漏', 'minor leakage'],
  leak_major: ['大量渗漏', 'major leakage'],
  wrong_item: ['错发', 'wrong item'],
  missing_item: ['漏发', 'missing item'],
};

const COMPLAINT_CATEGORIES: Record<string, Label> = {
  product_quality: ['商品质量', 'product quality'],
  logistics: ['物流', 'logistics'],
  service_attitude: ['服务态度', 'service attitude'],
  wrong_or_missing: ['错发漏发', 'wrong or missing item'],
  price: ['价格', 'price'],
  after_sales: ['售后', 'after-sales'],
  other: ['其他', 'other'],
};

const RETURN_TYPES: Record<string, Label> = {
  refund_only: ['仅退款', 'refund only'],
  return_refund: ['退货退款', 'return and refund'],
  exchange: ['换货', 'exchange'],
};

const EXCEPTION_KINDS: Record<string, Label> = {
  stale: ['物流异常', 'stale parcel'],
  no_outlet: ['快递无网点', 'no carrier outlet'],
  stranded: ['滞留', 'stranded parcel'],
  address_issue: ['地址错误/电话不通', 'address issue'],
  lost: ['丢件', 'lost parcel'],
  carrier_reported: ['疑难件', 'carrier-reported problem'],
};

const ORDER_KINDS: Record<string, Label> = {
  awaiting_finance: ['待财务确认', 'awaiting finance confirmation'],
  unshipped: ['未发货', 'not shipped'],
  not_collected: ['已发货未揽收', 'shipped, not collected'],
};

const MODULES: Record<string, Label> = {
  claim: ['理赔', 'claim'],
  complaint: ['投诉', 'complaint'],
  review: ['评价', 'review'],
  return: ['退换货', 'return'],
  refund: ['退款', 'refund'],
  logistics_exception: ['物流异常', 'logistics exception'],
  follow_up: ['回访', 'follow-up call'],
  task: ['任务', 'task'],
  order: ['订单', 'order'],
};

const text = ([zh, en]: Label) => `${zh} ${en}`;
const labelOf = (table: Record<string, Label>, code: string | null, fallback: Label): string => text((code && table[code]) || fallback);

/** What the title is made of: the row's module, its module-specific code, and the order. */
export interface TitleFacts {
  module: string;
  status: string;
  /** Claim type, complaint category, review rating, return type, exception kind, followed module, task title, order state. */
  kind: string | null;
  /** Complaint severity. */
  extra: string | null;
  amount: number | null;
  currency: string | null;
  orderNo: string | null;
}

function subject(f: TitleFacts): string {
  const module = MODULES[f.module] ?? [f.module, f.module.replace(/_/g, ' ')];
  switch (f.module) {
    case 'claim':
      return labelOf(CLAIM_TYPES, f.kind, module);
    case 'complaint':
      return `${f.extra === 'serious' ? '严重投诉 serious complaint' : text(module)} · ${labelOf(COMPLAINT_CATEGORIES, f.kind, ['其他', 'other'])}`;
    case 'review': {
      const rating = Number(f.kind);
      const grade: Label = rating >= 4 ? ['好评', 'good review'] : rating === 3 ? ['中评', 'neutral review'] : ['差评', 'bad review'];
      return Number.isInteger(rating) ? `${text(grade)} ${rating}★` : text(module);
    }
    case 'return':
      return labelOf(RETURN_TYPES, f.kind, module);
    case 'refund':
      return f.amount !== null && f.currency ? `${text(module)} ${formatMoney(f.amount, f.currency)} ${f.currency}` : text(module);
    case 'logistics_exception':
      return labelOf(EXCEPTION_KINDS, f.kind, module);
    case 'follow_up':
      return f.kind ? `${text(module)} · ${text(MODULES[f.kind] ?? [f.kind, f.kind.replace(/_/g, ' ')])}` : text(module);
    case 'task':
      return f.kind ?? text(module);
    case 'order':
      return labelOf(ORDER_KINDS, f.kind, module);
    default:
      return `${text(module)} · ${f.status}`;
  }
}

/** A short human line for an item, e.g. `大量渗漏 major leakage · #1001`. */
export function itemTitle(f: TitleFacts): string {
  const head = subject(f);
  return f.orderNo ? `${head} · #${f.orderNo}` : head;
}
