import { provinceKey, sameProvince, wooStateName } from './provinces.js';

describe('province keys', () => {
  it.each([
    ['广东省', '广东'], ['广东', '广东'], ['Guangdong', '广东'], ['guangdong province', '广东'], ['GUANGDONG', '广东'],
    ['北京市', '北京'], ['Beijing', '北京'], ['广西壮族自治区', '广西'], ['新疆维吾尔自治区', '新疆'], ['Inner Mongolia', '内蒙古'],
    ['香港特别行政区', '香港'], ['Guangdong / 广东', '广东'], ['Kentucky', 'kentucky'], ['  Ontario ', 'ontario'],
  ])('%s → %s', (input, key) => {
    expect(provinceKey(input)).toBe(key);
  });

  it('treats empty values as unknown', () => {
    expect(provinceKey('')).toBeNull();
    expect(provinceKey(null)).toBeNull();
    expect(sameProvince(null, null)).toBe(false);
  });

  it('maps WooCommerce China state codes, leaves other countries alone', () => {
    expect(wooStateName('CN', 'CN20')).toBe('广东');
    expect(wooStateName('CN', 'CN2')).toBe('北京');
    expect(wooStateName('US', 'CA')).toBe('CA');
    expect(wooStateName('CN', null)).toBeNull();
    expect(sameProvince('广东省', 'Guangdong')).toBe(true);
    expect(sameProvince('广东省', '广西')).toBe(false);
  });
});
