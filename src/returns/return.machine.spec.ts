import { Role } from '../kernel/auth/roles.js';
import { allowedActions, type TransitionContext } from '../kernel/state-machine/machine.js';
import { fittingActions, returnMachine, throwIfNotRefundable } from './return.machine.js';
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
    expect(() => throwIfNotRefundable(ctx({ status: 'approved', type: 'refund_only', approved_amount: '500' }))).not.toThrow();
    expect(() => throwIfNotRefundable(ctx({ status: 'approved', type: 'refund_only', approved_amount: '500' }, { amount: 501 }))).toThrow(/500 was approved|5.00 was approved/);
    expect(() => throwIfNotRefundable(ctx({ status: 'inspected', type: 'return_refund', inspection_result: 'fail', approved_amount: '500' }))).toThrow(/failed inspection/);
    expect(() => throwIfNotRefundable(ctx({ status: 'inspected', type: 'exchange', inspection_result: 'pass', approved_amount: '0' }))).toThrow(/exchange/);
  });

  it('offers only the actions that fit the case', () => {
    const row = { status: 'inspected', type: 'return_refund', inspection_result: 'fail', approved_amount: '500' };
    expect(fittingActions(allowedActions(returnMachine, 'inspected', agent), ctx(row).row)).toEqual(['reject']);
    expect(fittingActions(allowedActions(returnMachine, 'inspected', agent), ctx({ ...row, inspection_result: 'pass' }).row)).toEqual(['refund']);
  });

  it('every non-terminal state has a way forward; terminal states have none', () => {
    for (const [name, s] of Object.entries(returnMachine.states)) {
      const out = Object.values(returnMachine.actions).filter((a) => (a.from as readonly string[]).includes(name));
      expect(s.terminal ? out.length : out.length > 0).toBe(s.terminal ? 0 : true);
    }
  });
});
