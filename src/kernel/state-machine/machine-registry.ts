import { Injectable } from '@nestjs/common';
import { KERNEL_GUARDS } from '../cases/case-actions.js';
import { type Effect, type Guard, type MachineDefinition, type MachineImplementations, namedDependencies, validateMachine } from './machine.js';

interface Registered {
  def: MachineDefinition;
  guards: Record<string, Guard>;
  effects: Record<string, Effect>;
}

/**
 * Every machine the running service knows, served at /api/v1/meta/state-machines, with the code
 * of the guards and effects it names (supplied by its module, as XState's `setup` does). A named
 * guard or effect without code, or code for a name the machine does not use, fails the start.
 */
@Injectable()
export class MachineRegistry {
  private readonly machines = new Map<string, Registered>();

  register(def: MachineDefinition, impl: MachineImplementations = {}): void {
    validateMachine(def);
    const existing = this.machines.get(def.name);
    if (existing && existing.def !== def) throw new Error(`machine ${def.name} registered twice`);
    const guards = { ...(impl.guards ?? {}) };
    const effects = { ...(impl.effects ?? {}) };
    const used = namedDependencies(def);
    const fail = (msg: string) => {
      throw new Error(`machine ${def.name}: ${msg}`);
    };
    for (const g of Object.keys(guards)) if (g in KERNEL_GUARDS) fail(`guard ${g} is the kernel's and cannot be supplied`);
    for (const g of used.guards) if (!guards[g] && !KERNEL_GUARDS[g]) fail(`guard ${g} has no implementation`);
    for (const e of used.effects) if (!effects[e]) fail(`effect ${e} has no implementation`);
    for (const g of Object.keys(guards)) if (!used.guards.has(g)) fail(`guard ${g} is supplied but no action names it`);
    for (const e of Object.keys(effects)) if (!used.effects.has(e)) fail(`effect ${e} is supplied but no action names it`);
    this.machines.set(def.name, { def, guards: { ...KERNEL_GUARDS, ...guards }, effects });
  }

  get(name: string): MachineDefinition | undefined {
    return this.machines.get(name)?.def;
  }

  /** The guard and effect code of a registered machine (by name: a copy of a definition shares it). */
  implementationsOf(name: string): { guards: Record<string, Guard>; effects: Record<string, Effect> } | undefined {
    const r = this.machines.get(name);
    return r && { guards: r.guards, effects: r.effects };
  }

  all(): MachineDefinition[] {
    return [...this.machines.values()].map((r) => r.def).sort((a, b) => a.name.localeCompare(b.name));
  }
}
