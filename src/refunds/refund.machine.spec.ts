import { Role, systemCaller } from '../kernel/auth/roles.js';
import { allowedActions, type CaseRow, statesTagged, type TransitionContext, validateMachine, whyNot } from '../kernel/state-machine/machine.js';
import { isManual, refundMachine } from './refund.machine.js';
import { RefundExecutionState, RefundMethod, RefundStatus } from './refund-status.js';

const staff = (role: Role) => ({ type: 'staff' as const, merchantId: 'm', staffId: 's', role });
const row = (over: Record<string, unknown> = {}) => ({ id: 'r1', merchant_id: 'm', shop_id: 's', status: RefundStatus.Pending, version: 1, due_at: null, method: RefundMethod.Manual, platform_refund_id: null, ...over }) as CaseRow;
const NOW = new Date('2026-03-09T02:00:00Z');
const set = async (action: string, input: object, r: CaseRow = row()) => refundMachine.actions[action].set!({ row: r, input, now: NOW } as unknown as TransitionContext);

describe('refund machine (SPEC §7 ledger row)', () => {
  it('is valid: pending is the only open state, succeeded and failed are terminal', () => {
    expect(() => validateMachine(refundMachine)).not.toThrow();
    expect(refundMachine.initial).toEqual([RefundStatus.Pending]);
    expect(statesTagged(refundMachine, 'open')).toEqual([RefundStatus.Pending]);
    expect(statesTagged(refundMachine, 'closed')).toEqual([RefundStatus.Succeeded, RefundStatus.Failed]);
    expect(refundMachine.states[RefundStatus.Succeeded].terminal && refundMachine.states[RefundStatus.Failed].terminal).toBe(true);
    // [002] a pending refund is today's work: due within a business day
    expect(refundMachine.states[RefundStatus.Pending].due).toEqual({ kind: 'businessHours', hours: 8 });
  });

  it('leaves pending once: no action starts from a final status (a failed refund is retried by a new row)', () => {
    for (const a of Object.values(refundMachine.actions)) expect(a.from).toEqual([RefundStatus.Pending]);
    expect(allowedActions(refundMachine, row({ status: RefundStatus.Failed }), staff(Role.Finance))).toEqual([]);
    expect(allowedActions(refundMachine, row({ status: RefundStatus.Succeeded }), systemCaller('m'))).toEqual([]);
  });

  it('finance settles manual refunds only; the platform ones are settled by the execution job', () => {
    expect(allowedActions(refundMachine, row(), staff(Role.Finance))).toEqual(['record-manual', 'record-failure']);
    expect(allowedActions(refundMachine, row(), staff(Role.Admin))).toEqual(['record-manual', 'record-failure']);
    expect(allowedActions(refundMachine, row({ method: RefundMethod.Shopify }), staff(Role.Finance))).toEqual([]);
    expect(whyNot(refundMachine.actions['record-manual'], row({ method: RefundMethod.Webhook }))).toBe('refund r1 is executed through webhook; only manual refunds are recorded by finance');
    expect(isManual(row())).toBeNull();
    for (const role of [Role.Agent, Role.Supervisor, Role.Warehouse]) expect(allowedActions(refundMachine, row(), staff(role))).toEqual([]);
    expect(allowedActions(refundMachine, row({ method: RefundMethod.Shopify }), systemCaller('m'))).toEqual(['succeed', 'fail']);
    expect(refundMachine.actions.succeed.actors).toEqual(['system', 'platform']);
  });

  it('records what settled it with the status', async () => {
    expect(await set('succeed', { platformRefundId: 'gid-9' })).toEqual({ platform_refund_id: 'gid-9', execution_state: RefundExecutionState.Done, execution_lease_until: null, succeeded_at: NOW });
    // a platform id already known stays when the confirmation carries none
    expect((await set('succeed', {}, row({ platform_refund_id: 'gid-1' }))).platform_refund_id).toBe('gid-1');
    const failed = await set('fail', { reason: 'x'.repeat(3000) });
    expect(failed).toMatchObject({ execution_state: RefundExecutionState.Failed, execution_lease_until: null, failed_at: NOW });
    expect(String(failed.failure_reason)).toHaveLength(2000);
    expect((await set('fail', {})).failure_reason).toBe('failed');
    expect(await set('record-manual', { externalReference: 'BANK-1' })).toEqual({ external_reference: 'BANK-1', execution_state: RefundExecutionState.Done, succeeded_at: NOW });
    expect(await set('record-failure', { reason: '账户已注销' })).toEqual({ failure_reason: '账户已注销', execution_state: RefundExecutionState.Failed, failed_at: NOW });
  });
});
