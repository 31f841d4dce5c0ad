/**
 * The carriers the service knows out of the box (SPEC §6 "Carrier identity"). The canonical code
 * is Kuaidi100's `com` code (快递100 快递公司编码), because Kuaidi100 pushes name carriers by it;
 * every other spelling is an alias. Sources: Kuaidi100's company code list (e.g. 德邦 →
 * debangwuliu, 德邦快递 → debangkuaidi, 百世快递 → huitongkuaidi), Shopify's documented
 * `tracking_company` names ("SF Express", "China Post", "China EMS (ePacket)", "JD Logistics",
 * "4PX", ...), the names the Chinese platforms and ERPs use, and the short codes of Chinese
 * e-commerce back offices (快递鸟 ShipperCode style: SF, YTO, ZTO, STO, YD, JD, DBL, HTKY, ...).
 *
 * Matching ignores case, spaces and punctuation ("S.F. Express" = "SF Express" = "sfexpress"),
 * so aliases list spellings that differ in letters only. Merchants add their own in the
 * `carriers` table (PUT /api/v1/carriers/{code}).
 */
export interface CarrierDefinition {
  /** Kuaidi100 `com` code. */
  code: string;
  displayName: string;
  chineseName: string;
  /** Short code of Chinese back offices, when one is common. */
  shortCode?: string;
  aliases: readonly string[];
}

export const DEFAULT_CARRIERS: readonly CarrierDefinition[] = [
  { code: 'shunfeng', displayName: 'SF Express', chineseName: '顺丰速运', shortCode: 'SF', aliases: ['顺丰', '顺丰快递', '顺丰速递', 'Shunfeng', 'Shunfeng Express'] },
  { code: 'shunfengkuaiyun', displayName: 'SF Freight', chineseName: '顺丰快运', aliases: ['SF Express Freight'] },
  { code: 'yuantong', displayName: 'YTO Express', chineseName: '圆通速递', shortCode: 'YTO', aliases: ['圆通', '圆通快递', 'Yuantong', 'Yuantong Express'] },
  { code: 'yuantongkuaiyun', displayName: 'YTO Freight', chineseName: '圆通快运', aliases: [] },
  { code: 'zhongtong', displayName: 'ZTO Express', chineseName: '中通快递', shortCode: 'ZTO', aliases: ['中通', '中通速递', 'Zhongtong', 'Zhongtong Express'] },
  { code: 'zhongtongkuaiyun', displayName: 'ZTO Freight', chineseName: '中通快运', aliases: [] },
  { code: 'shentong', displayName: 'STO Express', chineseName: '申通快递', shortCode: 'STO', aliases: ['申通', 'Shentong', 'Shentong Express'] },
  { code: 'yunda', displayName: 'Yunda Express', chineseName: '韵达快递', shortCode: 'YD', aliases: ['韵达', '韵达速递', 'Yunda'] },
  { code: 'yundakuaiyun', displayName: 'Yunda Freight', chineseName: '韵达快运', aliases: [] },
  { code: 'jtexpress', displayName: 'J&T Express', chineseName: '极兔速递', shortCode: 'JT', aliases: ['极兔', '极兔快递', 'JTSD', 'J&T China'] },
  { code: 'ems', displayName: 'EMS', chineseName: '中国邮政EMS', aliases: ['邮政EMS', 'EMS快递', 'EMS特快专递', 'China EMS', 'China EMS (ePacket)', 'ePacket', 'EMS China'] },
  { code: 'youzhengguonei', displayName: 'China Post', chineseName: '中国邮政', shortCode: 'YZPY', aliases: ['邮政快递包裹', '邮政包裹', '邮政国内', '中国邮政快递包裹', '平邮', 'Chinapost', 'China Post Parcel'] },
  { code: 'youzhengbk', displayName: 'China Post Standard Express', chineseName: '邮政标准快递', aliases: ['邮政标快'] },
  { code: 'jd', displayName: 'JD Logistics', chineseName: '京东物流', shortCode: 'JD', aliases: ['京东', '京东快递', 'JD Express', 'JDL', 'Jingdong', 'JDKD'] },
  { code: 'jingdongkuaiyun', displayName: 'JD Freight', chineseName: '京东快运', aliases: [] },
  { code: 'debangwuliu', displayName: 'Deppon', chineseName: '德邦物流', shortCode: 'DBL', aliases: ['德邦', 'Deppon Logistics'] },
  { code: 'debangkuaidi', displayName: 'Deppon Express', chineseName: '德邦快递', shortCode: 'DBKD', aliases: [] },
  { code: 'huitongkuaidi', displayName: 'Best Express', chineseName: '百世快递', shortCode: 'HTKY', aliases: ['百世', '百世汇通', '汇通快递', '汇通', 'BEST', 'Best Inc', '800bestex'] },
  { code: 'baishiwuliu', displayName: 'Best Freight', chineseName: '百世快运', aliases: ['百世物流'] },
  { code: 'tiantian', displayName: 'TTK Express', chineseName: '天天快递', shortCode: 'HHTT', aliases: ['天天', 'Tiantian Express'] },
  { code: 'zhaijisong', displayName: 'ZJS Express', chineseName: '宅急送', shortCode: 'ZJS', aliases: ['宅急送快递', 'Zhaijisong'] },
  { code: 'fengwang', displayName: 'Fengwang Express', chineseName: '丰网速运', aliases: ['丰网', 'FWX'] },
  { code: 'youshuwuliu', displayName: 'UC Express', chineseName: '优速快递', shortCode: 'UC', aliases: ['优速', '优速物流'] },
  { code: 'annengwuliu', displayName: 'ANE Logistics', chineseName: '安能快运', shortCode: 'ANE', aliases: ['安能', '安能物流'] },
  { code: 'kuayue', displayName: 'KY Express', chineseName: '跨越速运', shortCode: 'KYE', aliases: ['跨越', 'Kuayue Express'] },
  { code: 'danniao', displayName: 'Danniao', chineseName: '丹鸟', aliases: ['丹鸟快递'] },
  { code: 'suning', displayName: 'Suning Logistics', chineseName: '苏宁物流', aliases: ['苏宁快递'] },
  { code: 'zhongyouex', displayName: 'Zhongyou Express', chineseName: '众邮快递', aliases: [] },
  { code: 'disifang', displayName: '4PX', chineseName: '递四方', aliases: ['4PX Express'] },
  { code: 'dhl', displayName: 'DHL China', chineseName: 'DHL-中国件', aliases: ['DHL'] },
  { code: 'dhlen', displayName: 'DHL Express', chineseName: 'DHL-全球件', aliases: [] },
  { code: 'fedex', displayName: 'FedEx', chineseName: 'FedEx-国际件', aliases: ['联邦快递', 'Federal Express'] },
  { code: 'ups', displayName: 'UPS', chineseName: 'UPS', aliases: ['United Parcel Service'] },
  { code: 'usps', displayName: 'USPS', chineseName: 'USPS', aliases: ['美国邮政', 'United States Postal Service'] },
];
