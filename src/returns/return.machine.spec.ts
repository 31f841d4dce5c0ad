import { Role } from '../kernel/auth/roles.js';
import { allowedActions, type CaseRow, staysPut, type TransitionContext } from '../kernel/state-machine/machine.js';
import { isRefundableNow, returnMachine, throwIfAboveApproved } from './return.machine.js';
import { ReturnStatus, ReturnType } from './return-status.js';

const agent = { type: 'staff' as const, merchantId: 'm', staffId: 's', role: Role.Agent };
const ctx = (row: Record<string, unknown>, input: object = {}) => ({ row: { currency: 'CNY', ...row }, input }) as unknown as TransitionContext;

describe('return machine', () => {
  it('approve derives its target from the type: goods coming back go straight to awaiting_return', () => {
    const to = returnMachine.actions.approve.to as { resolve: (c: TransitionContext) => string };
    expect(to.resolve(ctx({ type: ReturnType.RefundOnly }))).toBe(ReturnStatus.Approved);
    expect(to.resolve(ctx({ type: ReturnType.ReturnRefund }))).toBe(ReturnStatus.AwaitingReturn);
    expect(to.resolve(ctx({ type: ReturnType.Exchange }))).toBe(ReturnStatus.AwaitingReturn);
  });

  it('refund only for an approved refund-only case or a passed inspection, never above the approved amount', () => {
    const row = (r: Record<string, unknown>) => ctx(r).row as CaseRow;
    expect(isRefundableNow(row({ status: 'approved', type: 'refund_only', approved_amount: '500' }))).toBeNull();
    expect(() => throwIfAboveApproved(ctx({ status: 'approved', type: 'refund_only', approved_amount: '500' }))).not.toThrow();
    expect(() => throwIfAboveApproved(ctx({ status: 'approved', type: 'refund_only', approved_amount: '500' }, { amount: 501 }))).toThrow(/5.00 was approved/);
    expect(isRefundableNow(row({ status: 'inspected', type: 'return_refund', inspection_result: 'fail', approved_amount: '500' }))).toMatch(/failed inspection/);
    expect(isRefundableNow(row({ status: 'inspected', type: 'exchange', inspection_result: 'pass', approved_amount: '0' }))).toMatch(/exchange/);
    expect(isRefundableNow(row({ status: 'approved', type: 'return_refund', approved_amount: '500' }))).toMatch(/goods must come back/);
  });

  it('offers only the actions that fit the case', () => {
    const row = { status: 'inspected', type: 'return_refund', inspection_result: 'fail', approved_amount: '500' };
    const transitions = (r: Record<string, unknown>) => allowedActions(returnMachine, ctx(r).row, agent).filter((a) => !staysPut(returnMachine.actions[a]));
    expect(transitions(row)).toEqual(['reject', 'close']);
    expect(transitions({ ...row, inspection_result: 'pass' })).toEqual(['refund', 'close']);
    expect(allowedActions(returnMachine, ctx(row).row, agent)).toEqual(['reject', 'close', 'assign', 'note']);
  });

  it('receive derives received / partially_received from the receipt its guard computed', () => {
    const to = returnMachine.actions.receive.to as { targets: readonly string[]; resolve: (c: TransitionContext) => string };
    expect(to.targets).toEqual([ReturnStatus.Received, ReturnStatus.PartiallyReceived]);
    expect(() => to.resolve(ctx({}, {}))).toThrow(/throwIfReceiptInvalid/);
  });

  it('every non-terminal state has a way forward; terminal states have none', () => {
    for (const [name, s] of Object.entries(returnMachine.states)) {
      const out = Object.values(returnMachine.actions).filter((a) => !staysPut(a) && (a.from as readonly string[]).includes(name));
      expect(s.terminal ? out.length : out.length > 0).toBe(s.terminal ? 0 : true);
    }
  });
});
