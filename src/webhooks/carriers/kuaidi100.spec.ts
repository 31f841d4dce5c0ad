import { InvalidInput } from '../../kernel/errors/domain-errors.js';
import { TrackingStatus } from '../../logistics/tracking-status.js';
import { kuaidi100Sign, parseKuaidi100Param, verifyKuaidi100Sign } from './kuaidi100.js';

const param = JSON.stringify({
  status: 'polling',
  message: '',
  lastResult: {
    state: '5',
    com: 'yunda',
    nu: 'YD123',
    data: [
      { context: '派件中', time: '2025-03-02 09:10:00', ftime: '2025-03-02 09:10:00' },
      { context: '已揽收', time: '2025-03-01 18:00:00', ftime: '2025-03-01 18:00:00', areaName: '浙江杭州' },
      { context: '', time: 'garbage' },
    ],
  },
});

describe('Kuaidi100 push', () => {
  it('signs with upper-case MD5(param + salt) and verifies in constant time', () => {
    const sign = kuaidi100Sign(param, 'salt');
    expect(sign).toMatch(/^[0-9A-F]{32}$/);
    expect(verifyKuaidi100Sign(param, sign, 'salt')).toBe(true);
    expect(verifyKuaidi100Sign(param, sign.toLowerCase(), 'salt')).toBe(true);
    expect(verifyKuaidi100Sign(param, sign, 'other')).toBe(false);
    expect(verifyKuaidi100Sign(param + ' ', sign, 'salt')).toBe(false);
    expect(verifyKuaidi100Sign(param, 'short', 'salt')).toBe(false);
  });

  it('reads Beijing times, keeps the raw state on the newest event only, and skips unusable events', () => {
    const p = parseKuaidi100Param(param);
    expect(p).toMatchObject({ status: 'polling', carrier: 'yunda', trackingNo: 'YD123', state: '5' });
    expect(p.events).toHaveLength(2);
    const [newest, older] = p.events;
    expect(newest).toMatchObject({ description: '派件中', status: TrackingStatus.OutForDelivery, rawCode: '5' });
    expect(newest.at.toISOString()).toBe('2025-03-02T01:10:00.000Z');
    expect(older).toMatchObject({ description: '已揽收', location: '浙江杭州', status: null, rawCode: null });
  });

  it('refuses a param that is not JSON or names no parcel', () => {
    expect(() => parseKuaidi100Param('{')).toThrow(InvalidInput);
    expect(() => parseKuaidi100Param('[]')).toThrow(InvalidInput);
    expect(() => parseKuaidi100Param(JSON.stringify({ lastResult: { state: '0' } }))).toThrow(/com.*nu/);
  });
});
