import { mapKuaidi100State, TrackingStatus } from './tracking-status.js';

describe('Kuaidi100 state mapping (SPEC §6)', () => {
  it.each([
    ['0', TrackingStatus.InTransit], // 在途
    ['1', TrackingStatus.InTransit], // 揽收
    ['7', TrackingStatus.InTransit], // 转投
    ['8', TrackingStatus.InTransit], // 清关
    ['5', TrackingStatus.OutForDelivery], // 派件
    ['3', TrackingStatus.Delivered], // 签收
    ['2', TrackingStatus.Exception], // 疑难
    ['4', TrackingStatus.FailedAttempt], // 退签
    ['14', TrackingStatus.FailedAttempt], // 拒签
    ['6', TrackingStatus.Returning], // 退回
  ])('state %s → %s', (code, status) => {
    expect(mapKuaidi100State(code)).toBe(status);
    expect(mapKuaidi100State(Number(code))).toBe(status);
  });

  it('maps resultv2 sub-states to their main state and leaves unknown codes unmapped', () => {
    expect(mapKuaidi100State('501')).toBe(TrackingStatus.OutForDelivery);
    expect(mapKuaidi100State('1401')).toBe(TrackingStatus.FailedAttempt);
    expect(mapKuaidi100State('99')).toBeNull();
    expect(mapKuaidi100State('')).toBeNull();
    expect(mapKuaidi100State(null)).toBeNull();
  });
});
