/**
 * Province names as platforms send them ("广东省", "Guangdong", WooCommerce "CN20") reduced to one
 * key, so a carrier's coverage list written in any of these forms matches [002 审单: 快递是否到达].
 */
const CN_PROVINCES: ReadonlyArray<readonly [zh: string, pinyin: string, wooCode: string | null]> = [
  ['云南', 'yunnan', 'CN1'], ['北京', 'beijing', 'CN2'], ['天津', 'tianjin', 'CN3'], ['河北', 'hebei', 'CN4'],
  ['山西', 'shanxi', 'CN5'], ['内蒙古', 'inner mongolia', 'CN6'], ['辽宁', 'liaoning', 'CN7'], ['吉林', 'jilin', 'CN8'],
  ['黑龙江', 'heilongjiang', 'CN9'], ['上海', 'shanghai', 'CN10'], ['江苏', 'jiangsu', 'CN11'], ['浙江', 'zhejiang', 'CN12'],
  ['安徽', 'anhui', 'CN13'], ['福建', 'fujian', 'CN14'], ['江西', 'jiangxi', 'CN15'], ['山东', 'shandong', 'CN16'],
  ['河南', 'henan', 'CN17'], ['湖北', 'hubei', 'CN18'], ['湖南', 'hunan', 'CN19'], ['广东', 'guangdong', 'CN20'],
  ['广西', 'guangxi', 'CN21'], ['海南', 'hainan', 'CN22'], ['重庆', 'chongqing', 'CN23'], ['四川', 'sichuan', 'CN24'],
  ['贵州', 'guizhou', 'CN25'], ['陕西', 'shaanxi', 'CN26'], ['甘肃', 'gansu', 'CN27'], ['青海', 'qinghai', 'CN28'],
  ['宁夏', 'ningxia', 'CN29'], ['澳门', 'macao', 'CN30'], ['西藏', 'tibet', 'CN31'], ['新疆', 'xinjiang', 'CN32'],
  ['香港', 'hong kong', null], ['台湾', 'taiwan', null],
];

const BY_ALIAS = new Map<string, string>();
for (const [zh, pinyin, code] of CN_PROVINCES) {
  BY_ALIAS.set(zh, zh);
  BY_ALIAS.set(pinyin, zh);
  BY_ALIAS.set(pinyin.replace(/\s+/g, ''), zh);
  if (code) BY_ALIAS.set(code.toLowerCase(), zh);
}
for (const [alias, zh] of [['內蒙古', '内蒙古'], ['macau', '澳门'], ['xizang', '西藏'], ['nei mongol', '内蒙古']] as const) BY_ALIAS.set(alias, zh);

const ZH_SUFFIX = /(壮族自治区|回族自治区|维吾尔自治区|维吾尔族自治区|自治区|特别行政区|省|市)$/;
const EN_SUFFIX = /\s+(province|municipality|autonomous region|zhuang autonomous region|hui autonomous region|uygur autonomous region|uyghur autonomous region|sar)$/;

/** The comparison key of a province name: the Chinese short name when known, else the trimmed lower-case text. */
export function provinceKey(name: string | null | undefined): string | null {
  if (typeof name !== 'string') return null;
  let s = name.trim().toLowerCase();
  if (!s) return null;
  // WooCommerce labels read "Guangdong / 广东"; take the Chinese half when present.
  if (s.includes('/')) s = s.split('/').pop()!.trim();
  s = s.replace(ZH_SUFFIX, '').replace(EN_SUFFIX, '').replace(/\s+/g, ' ');
  return BY_ALIAS.get(s) ?? BY_ALIAS.get(s.replace(/\s+/g, '')) ?? s;
}

/** A WooCommerce China state code ("CN20") as its Chinese name ("广东"); other values unchanged. */
export function wooStateName(country: string | null | undefined, state: string | null | undefined): string | null {
  if (!state) return null;
  if ((country ?? '').toUpperCase() === 'CN' && /^CN\d{1,2}$/i.test(state)) return BY_ALIAS.get(state.toLowerCase()) ?? state;
  return state;
}

export function sameProvince(a: string | null | undefined, b: string | null | undefined): boolean {
  const ka = provinceKey(a);
  return ka !== null && ka === provinceKey(b);
}
