import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DueRule } from '../time/business-clock.js';
import { MachineDefinition, type OnDue, STATE_TAGS, type StateTag, staysPut, targetsOf } from './machine.js';

export class StateDescriptionDto {
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty() terminal: boolean;
  @ApiProperty({ type: 'boolean' }) initial: boolean;
  @ApiProperty({ enum: STATE_TAGS, isArray: true, description: 'What the state means across modules: open, waiting_customer, resolved, closed' }) tags: StateTag[];
  @ApiPropertyOptional({ description: 'SLA rule of this state', type: 'object', additionalProperties: true }) due?: DueRule;
  @ApiPropertyOptional({ description: 'What happens when the deadline passes: {action} fired by the system, or {mark: "overdue"}', type: 'object', additionalProperties: true })
  onDue?: OnDue;
}

export class ActionDescriptionDto {
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [String] }) from: string[];
  @ApiProperty({ type: [String], description: 'Possible target states (one unless derived from the data; the source states when it keeps the status)' }) to: string[];
  @ApiProperty({ description: 'Keeps the status (assign, note, a logged call): a timeline event and a version bump only' }) keepsStatus: boolean;
  @ApiProperty({ type: [String], description: 'Roles or actor types (platform, carrier, system) that may fire it' }) actors: string[];
  @ApiProperty({ type: [String], description: 'Pure checks of the case row deciding whether the action fits it now (allowedActions)' }) when: string[];
  @ApiProperty({ type: [String], description: 'Named guards checked before any write' }) guards: string[];
  @ApiProperty({ type: [String], description: 'Named side effects run in the transaction after the status write' }) effects: string[];
  @ApiProperty({ description: 'Fired by the module itself (a sub-resource, a platform fact), not over the action route' }) internal: boolean;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) onDue?: OnDue;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Deadline rule of the step entered; kind "computed" carries a note' })
  due?: DueRule | { kind: 'computed'; note: string };
}

export class MachineDescriptionDto {
  @ApiProperty() name: string;
  @ApiProperty({ description: 'REST collection under /api/v1' }) collection: string;
  @ApiProperty({ enum: ['case', 'record'], description: 'case: a SPEC §3 case (assignee, cost, recovered, case index); record: another lifecycle' }) kind: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [StateDescriptionDto] }) states: StateDescriptionDto[];
  @ApiProperty({ type: [ActionDescriptionDto] }) actions: ActionDescriptionDto[];
  @ApiProperty({ description: 'Mermaid stateDiagram generated from the same data' }) diagram: string;
}

export function describeMachine(m: MachineDefinition): MachineDescriptionDto {
  return {
    name: m.name,
    collection: m.collection,
    kind: m.kind ?? 'record',
    description: m.description,
    states: Object.entries(m.states).map(([name, s]) => ({
      name,
      description: s.description,
      terminal: s.terminal ?? false,
      initial: m.initial.includes(name),
      tags: [...s.tags],
      ...(s.due ? { due: s.due } : {}),
      ...(s.onDue ? { onDue: s.onDue } : {}),
    })),
    actions: Object.entries(m.actions).map(([name, a]) => ({
      name,
      description: a.description,
      from: [...a.from],
      to: [...targetsOf(a)],
      keepsStatus: staysPut(a),
      actors: [...a.actors],
      when: (a.when ?? []).map((w) => w.name),
      guards: [...(a.guards ?? [])],
      effects: [...(a.effects ?? [])],
      internal: a.internal ?? false,
      ...(a.due ? { due: a.due.kind === 'computed' ? { kind: 'computed', note: a.due.note } : a.due } : {}),
      ...(a.onDue ? { onDue: a.onDue } : {}),
    })),
    diagram: mermaid(m),
  };
}

/** Mermaid `stateDiagram-v2` text: the docs' diagram, generated from the machine itself. */
export function mermaid(m: MachineDefinition): string {
  const lines = ['stateDiagram-v2'];
  for (const s of m.initial) lines.push(`  [*] --> ${s}`);
  for (const [name, a] of Object.entries(m.actions)) {
    // Actions that keep the status would draw a loop on every state; the action list shows them.
    if (staysPut(a)) continue;
    for (const from of a.from) for (const to of targetsOf(a)) lines.push(`  ${from} --> ${to}: ${name}`);
  }
  for (const [name, s] of Object.entries(m.states)) if (s.terminal) lines.push(`  ${name} --> [*]`);
  return lines.join('\n');
}
