import { Role } from '../auth/roles.js';
import { allowedActions, defineMachine, type MachineDefinition } from './machine.js';
import { mermaid } from './machine-description.js';

const base = (): MachineDefinition => ({
  name: 'thing',
  table: 'things',
  collection: 'things',
  description: 'x',
  states: { a: { description: 'a' }, b: { description: 'b' }, c: { description: 'c', terminal: true } },
  initial: ['a'],
  actions: {
    go: { description: 'go', from: ['a'], to: 'b', actors: [Role.Agent, Role.Admin] },
    finish: { description: 'finish', from: ['b'], to: { targets: ['c', 'a'], resolve: () => 'c' }, actors: ['system'] },
  },
});

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
    expect(allowedActions(m, 'a', { type: 'staff', merchantId: 'm', role: Role.Agent })).toEqual(['go']);
    expect(allowedActions(m, 'a', { type: 'staff', merchantId: 'm', role: Role.Finance })).toEqual([]);
    expect(allowedActions(m, 'b', { type: 'system', merchantId: 'm' })).toEqual(['finish']);
    expect(allowedActions(m, 'b', { type: 'staff', merchantId: 'm', role: Role.Admin })).toEqual([]);
  });

  it('generates the Mermaid diagram from the same data', () => {
    expect(mermaid(defineMachine(base()))).toBe(
      ['stateDiagram-v2', '  [*] --> a', '  a --> b: go', '  b --> c: finish', '  b --> a: finish', '  c --> [*]'].join('\n'),
    );
  });
});
