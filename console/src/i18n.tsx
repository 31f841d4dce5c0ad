import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

export type Lang = 'zh' | 'en';

/** Labels of the console; zh-CN by default (SPEC §14), English on the header's switch. */
const DICT = {
  appTitle: ['售后工作台', 'After-sales console'],
  worklist: ['今日工作', 'Worklist'],
  orders: ['订单与物流', 'Orders & shipments'],
  reports: ['报表', 'Reports'],
  settings: ['设置', 'Settings'],
  logout: ['退出', 'Log out'],
  login: ['登录', 'Log in'],
  email: ['邮箱', 'Email'],
  password: ['密码', 'Password'],
  date: ['日期', 'Date'],
  shop: ['店铺', 'Shop'],
  allShops: ['全部店铺', 'All shops'],
  assignee: ['负责人', 'Assignee'],
  anyone: ['全部人员', 'Everyone'],
  refresh: ['刷新', 'Refresh'],
  noWorklist: ['工作清单接口暂不可用', 'The worklist is not available on this server yet'],
  empty: ['暂无', 'Nothing here'],
  overdue: ['已超时', 'Overdue'],
  due: ['截止', 'Due'],
  opened: ['创建', 'Opened'],
  status: ['状态', 'Status'],
  title: ['标题', 'Title'],
  module: ['类型', 'Module'],
  order: ['订单', 'Order'],
  nextBatch: ['下一批确认', 'Next batch'],
  fields: ['详情', 'Details'],
  money: ['费用', 'Money'],
  cost: ['花费', 'Cost'],
  recovered: ['追回', 'Recovered'],
  deadline: ['时效', 'Deadline'],
  dueRule: ['时效规则', 'Deadline rule'],
  noDeadline: ['无截止时间（时钟暂停或已结束）', 'No deadline (clock paused or case finished)'],
  timeline: ['处理记录', 'Timeline'],
  evidence: ['凭证照片', 'Evidence photos'],
  upload: ['上传照片', 'Upload photos'],
  kind: ['照片类型', 'Photo kind'],
  actions: ['可执行操作', 'Actions'],
  noActions: ['当前没有可执行的操作', 'No action is open to you now'],
  submit: ['提交', 'Submit'],
  cancel: ['取消', 'Cancel'],
  done: ['操作成功', 'Done'],
  actor: ['操作人', 'Actor'],
  note: ['备注', 'Note'],
  search: ['搜索', 'Search'],
  searchHint: ['订单号 / 平台单号 / 手机号 / 运单号', 'Order no. / platform id / phone / tracking no.'],
  registerShipment: ['登记包裹', 'Register a shipment'],
  shipments: ['包裹', 'Shipments'],
  events: ['物流轨迹', 'Tracking events'],
  open: ['打开', 'Open'],
  summary: ['售后汇总', 'After-sales summary'],
  kpis: ['客服绩效', 'Agent KPIs'],
  reconciliation: ['退款对账', 'Refund reconciliation'],
  from: ['开始', 'From'],
  to: ['结束', 'To'],
  month: ['月份', 'Month'],
  load: ['查询', 'Load'],
  downloadCsv: ['下载 CSV', 'Download CSV'],
  notAvailable: ['此报表接口暂不可用', 'This report is not available on this server yet'],
  calendar: ['营业日历', 'Business calendar'],
  carriers: ['快递公司', 'Carriers'],
  sections: ['设置项', 'Settings sections'],
  webhooks: ['事件推送地址', 'Webhook endpoints'],
  edit: ['编辑', 'Edit'],
  save: ['保存', 'Save'],
  add: ['添加', 'Add'],
  delete: ['删除', 'Delete'],
  calendarDays: ['特殊日期（节假日 / 调休）', 'Special days (holidays / make-up days)'],
  writableBy: ['可修改角色', 'Writable by'],
  loading: ['加载中…', 'Loading…'],
  back: ['返回', 'Back'],
  language: ['English', '中文'],
} as const satisfies Record<string, readonly [string, string]>;

export type Key = keyof typeof DICT;

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: Key): string;
}

const Ctx = createContext<I18n>({ lang: 'zh', setLang: () => undefined, t: (k) => DICT[k][0] });

const LANG_KEY = 'aso.lang';

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh'));
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang(next) {
        localStorage.setItem(LANG_KEY, next);
        setLangState(next);
      },
      t: (key) => DICT[key][lang === 'zh' ? 0 : 1],
    }),
    [lang],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export const useI18n = (): I18n => useContext(Ctx);
