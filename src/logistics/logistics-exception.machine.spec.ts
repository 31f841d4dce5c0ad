import fc from 'fast-check';
import { Role } from '../kernel/auth/roles.js';
import { RuleViolation } from '../kernel/errors/domain-errors.js';
import { allowedActions, type CaseRow, staysPut, targetsOf, type TransitionContext } from '../kernel/state-machine/machine.js';
import {
  ESCALATE_AFTER_HOURS, hasOrderToReship, logisticsExceptionMachine as machine, LogisticsExceptionOutcome, LogisticsExceptionStatus as S, throwIfBadAmount,
  throwIfNotARecallOutcome,
} from './logistics-exception.machine.js';

const ctx = (row: Record<string, unknown>, input: Record<string, unknown> = {}) => ({ row, input }) as unknown as TransitionContext;

describe('logistics exception machine', () => {
  it('follows the SPEC §6 table', () => {
    const edges = Object.entries(machine.actions)
      .filter(([, a]) => !staysPut(a))
      .flatMap(([name, a]) => a.from.flatMap((f) => targetsOf(a).map((to) => `${f} -${name}-> ${to}`)));
    expect(edges.sort()).toEqual(
      [
        'open -urge-> urged',
        'open -resolve-> closed', 'urged -resolve-> closed',
        'open -escalate-> reship_required', 'urged -escalate-> reship_required',
        'reship_required -reship-> reshipped',
        'reshipped -recall-> recalling',
        'reshipped -close-> closed', 'recalling -close-> closed',
        'open -dismiss-> closed', 'urged -dismiss-> closed',
      ].sort(),
    );
    expect(machine.initial).toEqual([S.Open, S.ReshipRequired]);
    expect(machine.states[S.Closed].terminal).toBe(true);
  });

  it('carries the deadlines of the procedure: 24 h after urge [002], 16:00 for a reship [002]', () => {
    expect(machine.states[S.Urged].due).toEqual({ kind: 'hours', hours: ESCALATE_AFTER_HOURS });
    expect(ESCALATE_AFTER_HOURS).toBe(24);
    expect(machine.states[S.ReshipRequired].due).toEqual({ kind: 'cutoff', at: '16:00' });
    expect(machine.states[S.Closed].due).toBeUndefined();
  });

  it('escalates by itself when the 24 h after urge pass, and marks the other steps overdue [002]', () => {
    expect(machine.states[S.Urged].onDue).toMatchObject({ action: 'escalate' });
    for (const s of [S.Open, S.ReshipRequired, S.Reshipped, S.Recalling]) expect(machine.states[s].onDue).toEqual({ mark: 'overdue' });
    expect(machine.states[S.Closed].tags).toContain('closed');
    expect(machine.actions.reship.effects).toEqual(['createReshipOrder']);
  });

  it('lets only the timer and staff escalate, the carrier only resolve, and finance nothing', () => {
    expect(machine.actions.escalate.actors).toContain('system');
    expect(machine.actions.resolve.actors).toEqual(expect.arrayContaining(['carrier', 'system']));
    expect(machine.actions.urge.actors).not.toContain('system');
    const finance = { type: 'staff' as const, merchantId: 'm', role: Role.Finance };
    // finance may only add a note
    for (const s of Object.values(S)) expect(allowedActions(machine, { status: s }, finance)).toEqual(['note']);
    const carrier = { type: 'carrier' as const, merchantId: 'm' };
    expect(allowedActions(machine, { status: S.Urged }, carrier)).toEqual(['resolve']);
  });

  it('property: any sequence of allowed agent actions stays in declared states, and closed is final', () => {
    const agent = { type: 'staff' as const, merchantId: 'm', role: Role.Agent };
    fc.assert(
      fc.property(fc.constantFrom(...machine.initial), fc.array(fc.nat(20), { maxLength: 12 }), (start, picks) => {
        let status: string = start;
        for (const p of picks) {
          const allowed = allowedActions(machine, { status, order_id: 'o' }, agent).filter((a) => !staysPut(machine.actions[a]));
          if (!allowed.length) {
            expect(status).toBe(S.Closed);
            return;
          }
          const a = machine.actions[allowed[p % allowed.length]];
          status = typeof a.to === 'string' ? a.to : a.to.targets[0];
          expect(Object.keys(machine.states)).toContain(status);
        }
      }),
    );
  });

  it('guards: no order → no reship; costs stay safe integers; close takes a recall outcome', () => {
    expect(hasOrderToReship({ order_id: null } as unknown as CaseRow)).toMatch(/no order to reship/);
    expect(hasOrderToReship({ order_id: 'o' } as unknown as CaseRow)).toBeNull();
    const agent = { type: 'staff' as const, merchantId: 'm', role: Role.Agent };
    expect(allowedActions(machine, { status: S.ReshipRequired, order_id: null }, agent)).not.toContain('reship');
    expect(allowedActions(machine, { status: S.ReshipRequired, order_id: 'o' }, agent)).toContain('reship');
    expect(() => throwIfBadAmount(ctx({ cost: '100' }, { reshipCost: 4500 }))).not.toThrow();
    expect(() => throwIfBadAmount(ctx({ cost: String(Number.MAX_SAFE_INTEGER) }, { reshipCost: 10 }))).toThrow(RuleViolation);
    expect(() => throwIfNotARecallOutcome(ctx({}, { outcome: LogisticsExceptionOutcome.WrittenOff }))).not.toThrow();
    expect(() => throwIfNotARecallOutcome(ctx({}, { outcome: LogisticsExceptionOutcome.Resolved }))).toThrow(RuleViolation);
  });
});
