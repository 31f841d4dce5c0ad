import { countryOfTimezone, phoneRegion, phoneSearchKeys, toE164 } from './phone.js';

describe('phones in E.164 (SPEC §5)', () => {
  it.each(['13800138000', '+86 138 0013 8000', '138-0013-8000', '+8613800138000', '86 13800138000', '008613800138000', '(+86) 138.0013.8000'])(
    '%s → +8613800138000',
    (raw) => expect(toE164(raw, 'CN')).toBe('+8613800138000'),
  );

  it('reads a number in the region it belongs to; refuses what is no number', () => {
    expect(toE164('(555) 555-5555', 'US')).toBeNull(); // 555 is no US area code in use
    expect(toE164('(502) 459-2181', 'US')).toBe('+15024592181');
    expect(toE164('+1(502)-459-2181', 'CN')).toBe('+15024592181');
    expect(toE164('0755-8601 3388', 'CN')).toBe('+8675586013388');
    expect(toE164('555-555-SHIP', 'US')).toBeNull();
    expect(toE164('12345', 'CN')).toBeNull();
    expect(toE164('', 'CN')).toBeNull();
  });

  it('default region: the address country, else the shop timezone\'s, else CN', () => {
    expect(phoneRegion('US', 'Asia/Shanghai')).toBe('US');
    expect(phoneRegion('China', 'Asia/Hong_Kong')).toBe('HK');
    expect(phoneRegion(null, 'America/New_York')).toBe('US');
    expect(phoneRegion(null, 'UTC')).toBe('CN');
    expect(countryOfTimezone('Asia/Chongqing')).toBe('CN');
  });

  it('search keys: one per region the query can be read in', () => {
    expect(phoneSearchKeys('138-0013-8000', ['CN', 'US'])).toEqual(['+8613800138000']);
    expect(phoneSearchKeys('#1001', ['CN'])).toEqual([]);
  });
});
