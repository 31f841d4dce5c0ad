import { Role } from '../kernel/auth/roles.js';
import { allowedActions, type CaseRow, staysPut, type TransitionContext } from '../kernel/state-machine/machine.js';
import { actualCostOf, complaintMachine, hasDepartment, isNotSerious, throwIfBadCost } from './complaint.machine.js';
import { ComplaintStatus } from './complaint-status.js';

const staff = (role: Role) => ({ type: 'staff' as const, merchantId: 'm', staffId: 's', role });
const ctx = (row: Record<string, unknown>, input: object = {}) => ({ row, input }) as unknown as TransitionContext;
const resolve = (action: string, input: object) => (complaintMachine.actions[action].to as { resolve: (c: TransitionContext) => string }).resolve(ctx({}, input));
const transitions = (row: Record<string, unknown>, role: Role) =>
  allowedActions(complaintMachine, row as CaseRow, staff(role)).filter((a) => !staysPut(complaintMachine.actions[a]));

describe('complaint machine', () => {
  it('assess derives the next step from the judgement; the follow-up result closes or reopens', () => {
    expect(resolve('assess', { founded: true })).toBe(ComplaintStatus.Investigating);
    expect(resolve('assess', { founded: false })).toBe(ComplaintStatus.Explained);
    expect(resolve('follow-up', { result: 'satisfied' })).toBe(ComplaintStatus.Closed);
    expect(resolve('follow-up', { result: 'neutral' })).toBe(ComplaintStatus.Closed);
    expect(resolve('follow-up', { result: 'unsatisfied' })).toBe(ComplaintStatus.Investigating);
  });

  it('a plan needs the responsible department; only supervisors decide on it', () => {
    expect(hasDepartment({ department: null } as unknown as CaseRow)).toMatch(/department first/);
    expect(hasDepartment({ department: 'warehouse' } as unknown as CaseRow)).toBeNull();
    expect(transitions({ status: 'investigating', department: null }, Role.Agent)).toEqual([]);
    expect(transitions({ status: 'investigating', department: 'service' }, Role.Agent)).toEqual(['propose']);
    expect(transitions({ status: 'plan_proposed' }, Role.Agent)).toEqual([]);
    expect(transitions({ status: 'plan_proposed' }, Role.Supervisor)).toEqual(['approve', 'reject-plan']);
    expect(transitions({ status: 'plan_proposed' }, Role.Warehouse)).toEqual([]);
  });

  it('implementing adds the actual cost, else the estimate, and refuses an unsafe total', () => {
    expect(actualCostOf(ctx({ cost: '0', plan_cost_estimate: '1800' }) as TransitionContext<{ actualCost?: number }>)).toBe(1800);
    expect(actualCostOf(ctx({ cost: '0', plan_cost_estimate: '1800' }, { actualCost: 0 }) as TransitionContext<{ actualCost?: number }>)).toBe(0);
    expect(() => throwIfBadCost(ctx({ cost: String(Number.MAX_SAFE_INTEGER), plan_cost_estimate: '1' }) as TransitionContext<{ actualCost?: number }>)).toThrow(/not a valid amount/);
  });

  it('mark-serious only for a complaint not serious yet', () => {
    expect(isNotSerious({ severity: 'serious' } as unknown as CaseRow)).toMatch(/already serious/);
    expect(isNotSerious({ severity: 'normal' } as unknown as CaseRow)).toBeNull();
  });

  it('every state but closed has a way forward; resolved means the customer accepted the remedy', () => {
    for (const [name, s] of Object.entries(complaintMachine.states)) {
      const out = Object.values(complaintMachine.actions).filter((a) => !staysPut(a) && (a.from as readonly string[]).includes(name));
      expect({ name, forward: out.length > 0 }).toEqual({ name, forward: !s.terminal });
    }
    const resolved = Object.entries(complaintMachine.states).filter(([, s]) => s.tags.includes('resolved')).map(([n]) => n);
    expect(resolved).toEqual([ComplaintStatus.AwaitingFollowUp, ComplaintStatus.Closed]);
  });
});
