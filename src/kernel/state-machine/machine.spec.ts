import { Role } from '../auth/roles.js';
import { allowedActions, type CaseRow, defineMachine, type MachineDefinition, statesTagged, targetsOf } from './machine.js';
import { describeMachine, mermaid } from './machine-description.js';
import { MachineRegistry } from './machine-registry.js';

const base = (): MachineDefinition => ({
  name: 'thing',
  table: 'things',
  collection: 'things',
  description: 'x',
  states: {
    a: { description: 'a', tags: ['open'] },
    b: { description: 'b', tags: ['waiting_customer'] },
    c: { description: 'c', tags: ['closed', 'resolved'], terminal: true },
  },
  initial: ['a'],
  actions: {
    go: { description: 'go', from: ['a'], to: 'b', actors: [Role.Agent, Role.Admin] },
    finish: { description: 'finish', from: ['b'], to: { targets: ['c', 'a'], resolve: () => 'c' }, actors: ['system'] },
  },
});

const agent = { type: 'staff' as const, merchantId: 'm', role: Role.Agent };
const row = (status: string, extra: Record<string, unknown> = {}) => ({ id: 'i', merchant_id: 'm', shop_id: null, status, version: 1, due_at: null, ...extra }) as CaseRow;

describe('machine definitions', () => {
  it('accepts a consistent machine', () => {
    expect(() => defineMachine(base())).not.toThrow();
  });

  it('refuses unknown states, bad action names and empty actor lists at definition time', () => {
    const unknownTarget = base();
    unknownTarget.actions.go = { ...unknownTarget.actions.go, to: 'nowhere' };
    expect(() => defineMachine(unknownTarget)).toThrow(/unknown target state nowhere/);
    const unknownSource = base();
    unknownSource.actions.go = { ...unknownSource.actions.go, from: ['zzz'] };
    expect(() => defineMachine(unknownSource)).toThrow(/unknown source state zzz/);
    const badName = base();
    badName.actions.Go_Now = badName.actions.go;
    expect(() => defineMachine(badName)).toThrow(/kebab-case/);
    const noActors = base();
    noActors.actions.go = { ...noActors.actions.go, actors: [] };
    expect(() => defineMachine(noActors)).toThrow(/names no actor/);
    const badInitial = base();
    badInitial.initial = ['q'];
    expect(() => defineMachine(badInitial)).toThrow(/initial state q/);
  });

  it('lists the actions a caller may fire from a status', () => {
    const m = defineMachine(base());
    expect(allowedActions(m, { status: 'a' }, agent)).toEqual(['go']);
    expect(allowedActions(m, { status: 'a' }, { type: 'staff', merchantId: 'm', role: Role.Finance })).toEqual([]);
    expect(allowedActions(m, { status: 'b' }, { type: 'system', merchantId: 'm' })).toEqual(['finish']);
    expect(allowedActions(m, { status: 'b' }, { type: 'staff', merchantId: 'm', role: Role.Admin })).toEqual([]);
  });

  it('generates the Mermaid diagram from the same data', () => {
    expect(mermaid(defineMachine(base()))).toBe(
      ['stateDiagram-v2', '  [*] --> a', '  a --> b: go', '  b --> c: finish', '  b --> a: finish', '  c --> [*]'].join('\n'),
    );
  });
});

describe('state tags', () => {
  it('requires every state to be tagged with exactly one of open, waiting_customer, closed (resolved may be added)', () => {
    const untagged = base();
    untagged.states.a = { description: 'a', tags: [] };
    expect(() => defineMachine(untagged)).toThrow(/state a declares no tags/);
    const missing = base();
    missing.states.b = { description: 'b' } as never;
    expect(() => defineMachine(missing)).toThrow(/state b declares no tags/);
    const both = base();
    both.states.a = { description: 'a', tags: ['open', 'closed'] };
    expect(() => defineMachine(both)).toThrow(/state a must carry exactly one of open, waiting_customer, closed/);
    const onlyResolved = base();
    onlyResolved.states.b = { description: 'b', tags: ['resolved'] };
    expect(() => defineMachine(onlyResolved)).toThrow(/state b must carry exactly one/);
    const unknown = base();
    unknown.states.a = { description: 'a', tags: ['open', 'pending' as never] };
    expect(() => defineMachine(unknown)).toThrow(/unknown tag pending/);
  });

  it('requires terminal states to be closed', () => {
    const m = base();
    m.states.c = { description: 'c', tags: ['open'], terminal: true };
    expect(() => defineMachine(m)).toThrow(/terminal state c must be tagged closed/);
  });

  it('finds the states carrying a tag', () => {
    const m = defineMachine(base());
    expect(statesTagged(m, 'resolved')).toEqual(['c']);
    expect(statesTagged(m, 'waiting_customer')).toEqual(['b']);
  });
});

describe('actions that keep the status, pure row checks, onDue', () => {
  it('a `stay` action lists its source states as targets and draws no edge', () => {
    const m = base();
    m.actions['log-contact'] = { description: 'a call', from: ['a', 'b'], to: 'stay', actors: [Role.Agent] };
    const d = defineMachine(m);
    expect(targetsOf(d.actions['log-contact'])).toEqual(['a', 'b']);
    expect(mermaid(d)).not.toContain('log-contact');
    expect(describeMachine(d).actions.find((a) => a.name === 'log-contact')).toMatchObject({ keepsStatus: true, to: ['a', 'b'] });
  });

  it('allowedActions evaluates `when` on the row and hides internal actions', () => {
    const m = base();
    const hasOrder = (r: CaseRow) => (r.order_id ? null : 'no order');
    m.actions.go = { ...m.actions.go, when: [hasOrder] };
    m.actions.record = { description: 'recorded by the module', from: ['a'], to: 'stay', actors: [Role.Agent], internal: true };
    const d = defineMachine(m);
    expect(allowedActions(d, row('a', { order_id: 'o' }), agent)).toEqual(['go']);
    expect(allowedActions(d, row('a', { order_id: null }), agent)).toEqual([]);
    expect(describeMachine(d).actions.find((a) => a.name === 'go')?.when).toEqual(['hasOrder']);
  });

  it('checks onDue rules: a known action, fireable by the system from the state, on an indexed machine', () => {
    const ok = { ...base(), indexed: true };
    ok.states.b = { ...ok.states.b, onDue: { action: 'finish' } };
    expect(() => defineMachine(ok)).not.toThrow();
    const unindexed = base();
    unindexed.states.b = { ...unindexed.states.b, onDue: { mark: 'overdue' } };
    expect(() => defineMachine(unindexed)).toThrow(/need the machine indexed/);
    const unknown = { ...base(), indexed: true };
    unknown.states.b = { ...unknown.states.b, onDue: { action: 'vanish' } };
    expect(() => defineMachine(unknown)).toThrow(/onDue fires unknown action vanish/);
    const notSystem = { ...base(), indexed: true };
    notSystem.states.a = { ...notSystem.states.a, onDue: { action: 'go' } };
    expect(() => defineMachine(notSystem)).toThrow(/must allow the system actor/);
    const wrongState = { ...base(), indexed: true };
    wrongState.states.a = { ...wrongState.states.a, onDue: { action: 'finish' } };
    expect(() => defineMachine(wrongState)).toThrow(/cannot fire from a/);
  });

  it('gives case machines the kernel actions assign (not when closed) and note (always)', () => {
    const d = defineMachine({ ...base(), kind: 'case' });
    expect(Object.keys(d.actions)).toEqual(['go', 'finish', 'assign', 'note']);
    expect(d.actions.assign).toMatchObject({ to: 'stay', from: ['a', 'b'], guards: ['throwIfAssigneeNotStaff'] });
    expect(d.actions.note.from).toEqual(['a', 'b', 'c']);
    expect(allowedActions(d, { status: 'c' }, agent)).toEqual(['note']);
    const clash = { ...base(), kind: 'case' as const };
    clash.actions.note = { description: 'mine', from: ['a'], to: 'stay', actors: [Role.Agent] };
    expect(() => defineMachine(clash)).toThrow(/action note is the kernel's case action/);
  });
});

describe('named guards and effects, implemented at registration', () => {
  const named = () => {
    const m = base();
    m.actions.go = { ...m.actions.go, guards: ['throwIfBlocked'], effects: ['notifyWarehouse'] };
    return defineMachine(m);
  };

  it('refuses a function where a name is expected', () => {
    const m = base();
    m.actions.go = { ...m.actions.go, guards: [(() => undefined) as never] };
    expect(() => defineMachine(m)).toThrow(/guards are named/);
  });

  it('registers when every named guard and effect has code', () => {
    const registry = new MachineRegistry();
    registry.register(named(), { guards: { throwIfBlocked: () => undefined }, effects: { notifyWarehouse: async () => undefined } });
    expect(Object.keys(registry.implementationsOf('thing')!.effects)).toEqual(['notifyWarehouse']);
    expect(registry.implementationsOf('thing')!.guards.throwIfBlocked).toBeDefined();
  });

  it('fails the start when a named effect or guard has no code, or code names nothing', () => {
    expect(() => new MachineRegistry().register(named(), { guards: { throwIfBlocked: () => undefined } })).toThrow(/effect notifyWarehouse has no implementation/);
    expect(() => new MachineRegistry().register(named(), { effects: { notifyWarehouse: async () => undefined } })).toThrow(/guard throwIfBlocked has no implementation/);
    expect(() =>
      new MachineRegistry().register(named(), {
        guards: { throwIfBlocked: () => undefined },
        effects: { notifyWarehouse: async () => undefined, notifyTypo: async () => undefined },
      }),
    ).toThrow(/effect notifyTypo is supplied but no action names it/);
    expect(() => new MachineRegistry().register(defineMachine({ ...base(), kind: 'case' }), { guards: { throwIfAssigneeNotStaff: () => undefined } })).toThrow(
      /guard throwIfAssigneeNotStaff is the kernel's/,
    );
  });

  it('lists guard and effect names in the description', () => {
    expect(describeMachine(named()).actions.find((a) => a.name === 'go')).toMatchObject({ guards: ['throwIfBlocked'], effects: ['notifyWarehouse'] });
  });
});
