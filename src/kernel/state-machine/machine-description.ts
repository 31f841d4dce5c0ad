import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DueRule } from '../time/business-clock.js';
import { MachineDefinition, targetsOf } from './machine.js';

export class StateDescriptionDto {
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty() terminal: boolean;
  @ApiProperty({ type: 'boolean' }) initial: boolean;
  @ApiPropertyOptional({ description: 'SLA rule of this state', type: 'object', additionalProperties: true }) due?: DueRule;
}

export class ActionDescriptionDto {
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [String] }) from: string[];
  @ApiProperty({ type: [String], description: 'Possible target states (one unless derived from the data)' }) to: string[];
  @ApiProperty({ type: [String], description: 'Roles or actor types (platform, carrier, system) that may fire it' }) actors: string[];
  @ApiProperty({ type: [String], description: 'Named guards checked before any write' }) guards: string[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Deadline rule of the step entered; kind "computed" carries a note' })
  due?: DueRule | { kind: 'computed'; note: string };
}

export class MachineDescriptionDto {
  @ApiProperty() name: string;
  @ApiProperty({ description: 'REST collection under /api/v1' }) collection: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [StateDescriptionDto] }) states: StateDescriptionDto[];
  @ApiProperty({ type: [ActionDescriptionDto] }) actions: ActionDescriptionDto[];
  @ApiProperty({ description: 'Mermaid stateDiagram generated from the same data' }) diagram: string;
}

export function describeMachine(m: MachineDefinition): MachineDescriptionDto {
  return {
    name: m.name,
    collection: m.collection,
    description: m.description,
    states: Object.entries(m.states).map(([name, s]) => ({
      name,
      description: s.description,
      terminal: s.terminal ?? false,
      initial: m.initial.includes(name),
      ...(s.due ? { due: s.due } : {}),
    })),
    actions: Object.entries(m.actions).map(([name, a]) => ({
      name,
      description: a.description,
      from: [...a.from],
      to: [...targetsOf(a)],
      actors: [...a.actors],
      guards: (a.guards ?? []).map((g) => g.name),
      ...(a.due ? { due: a.due.kind === 'computed' ? { kind: 'computed', note: a.due.note } : a.due } : {}),
    })),
    diagram: mermaid(m),
  };
}

/** Mermaid `stateDiagram-v2` text: the docs' diagram, generated from the machine itself. */
export function mermaid(m: MachineDefinition): string {
  const lines = ['stateDiagram-v2'];
  for (const s of m.initial) lines.push(`  [*] --> ${s}`);
  for (const [name, a] of Object.entries(m.actions)) {
    for (const from of a.from) for (const to of targetsOf(a)) lines.push(`  ${from} --> ${to}: ${name}`);
  }
  for (const [name, s] of Object.entries(m.states)) if (s.terminal) lines.push(`  ${name} --> [*]`);
  return lines.join('\n');
}
