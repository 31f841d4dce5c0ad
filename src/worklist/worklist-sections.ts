/**
 * The sections of the day in the order of the seed's routine [002 售后日工作流程] (SPEC §11);
 * `steps` are the routine's numbered steps each section serves (docs/worklist.md).
 */
export const WORKLIST_SECTIONS = [
  { key: 'refunds_in_progress', title: '退款处理中', titleEn: 'Refunds in progress', steps: [1, 11] },
  { key: 'complaints', title: '投诉与举报（严重优先）', titleEn: 'Complaints, serious first', steps: [2] },
  { key: 'finance_confirmation', title: '待财务确认', titleEn: 'Awaiting finance confirmation', steps: [3, 7, 10] },
  { key: 'carried_over', title: '前一天遗留的售后问题', titleEn: 'Carried over from earlier days', steps: [5] },
  { key: 'new_bad_reviews', title: '新中差评', titleEn: 'New neutral and bad reviews', steps: [6] },
  { key: 'bad_reviews_without_reply', title: '未回复的负面评价', titleEn: 'Bad reviews without a public reply', steps: [8, 11] },
  { key: 'reviews_awaiting_contact', title: '待联系的中差评', titleEn: 'Reviews awaiting contact', steps: [9] },
  { key: 'late_or_unshipped_orders', title: '未发货及发货超时订单', titleEn: 'Late or not yet shipped orders', steps: [11] },
  { key: 'due_soon_or_overdue', title: '已超时或两小时内到期', titleEn: 'Overdue or due within 2 hours', steps: [] },
  { key: 'follow_ups_due', title: '今日待回访', titleEn: 'Follow-up calls due', steps: [] },
  { key: 'suspected_photo_reuse', title: '疑似重复使用的照片', titleEn: 'Suspected photo reuse', steps: [] },
] as const;

export type WorklistSectionKey = (typeof WORKLIST_SECTIONS)[number]['key'];

export const WORKLIST_SECTION_KEYS: readonly WorklistSectionKey[] = WORKLIST_SECTIONS.map((s) => s.key);

/** Items listed per section; `count` is always the full count. */
export const WORKLIST_ITEM_LIMIT = 50;

/** "Near its due time" (SPEC §11): within this many hours of it. */
export const DUE_SOON_HOURS = 2;

/**
 * The ship-by time of a paid order: payment plus these hours (the 48-hour shipping promise of the
 * marketplaces the shops sell on; no seed names a figure, so the worklist keeps it in one place).
 */
export const SHIP_WITHIN_HOURS = 48;
