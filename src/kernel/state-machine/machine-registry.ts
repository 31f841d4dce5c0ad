import { Injectable } from '@nestjs/common';
import { MachineDefinition, validateMachine } from './machine.js';

/** Every machine the running service knows, served at /api/v1/meta/state-machines. */
@Injectable()
export class MachineRegistry {
  private readonly machines = new Map<string, MachineDefinition>();

  register(def: MachineDefinition): void {
    validateMachine(def);
    const existing = this.machines.get(def.name);
    if (existing && existing !== def) throw new Error(`machine ${def.name} registered twice`);
    this.machines.set(def.name, def);
  }

  get(name: string): MachineDefinition | undefined {
    return this.machines.get(name);
  }

  all(): MachineDefinition[] {
    return [...this.machines.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}
