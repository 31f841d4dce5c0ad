import { InvalidInput } from '../../kernel/errors/domain-errors.js';
import { TrackingStatus } from '../../logistics/tracking-status.js';
import { kuaidi100ParamOf, kuaidi100Sign, parseKuaidi100Param, verifyKuaidi100Sign } from './kuaidi100.js';

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

  it('follows Kuaidi100 carrier corrections: autoCheck "1" (comOld → comNew) and the abort announcing a re-subscription', () => {
    const base = { status: 'polling', message: '', lastResult: { state: '0', com: 'ems', nu: 'YT1', data: [] } };
    expect(parseKuaidi100Param(JSON.stringify({ ...base, autoCheck: '1', comOld: 'yuantong', comNew: 'ems' }))).toMatchObject({ carrier: 'ems', previousCarrier: 'yuantong', resubscribed: false });
    expect(parseKuaidi100Param(JSON.stringify({ ...base, autoCheck: '0', comOld: '', comNew: '' }))).toMatchObject({ carrier: 'ems', previousCarrier: null, resubscribed: false });
    const notice = { status: 'abort', message: '3天查询无记录', autoCheck: '0', comOld: '', comNew: 'ems', lastResult: { state: '0', com: 'yuantong', nu: 'YT1', data: [] } };
    expect(parseKuaidi100Param(JSON.stringify(notice))).toMatchObject({ status: 'abort', carrier: 'ems', previousCarrier: 'yuantong', resubscribed: true });
    const plainAbort = { ...notice, comNew: '', lastResult: { ...notice.lastResult } };
    expect(parseKuaidi100Param(JSON.stringify(plainAbort))).toMatchObject({ status: 'abort', carrier: 'yuantong', previousCarrier: null, resubscribed: false });
  });

  it('reads param back from a stored form body, or takes the stored param itself', () => {
    const form = Buffer.from(new URLSearchParams({ param, sign: 'X' }).toString());
    expect(kuaidi100ParamOf(form)).toBe(param);
    expect(kuaidi100ParamOf(Buffer.from(param))).toBe(param);
    expect(() => kuaidi100ParamOf(Buffer.from('sign=X'))).toThrow(InvalidInput);
  });

  it('refuses a param that is not JSON or names no parcel', () => {
    expect(() => parseKuaidi100Param('{')).toThrow(InvalidInput);
    expect(() => parseKuaidi100Param('[]')).toThrow(InvalidInput);
    expect(() => parseKuaidi100Param(JSON.stringify({ lastResult: { state: '0' } }))).toThrow(/com.*nu/);
  });
});
