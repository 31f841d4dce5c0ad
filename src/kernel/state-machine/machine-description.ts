import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DueRule } from '../time/business-clock.js';
import { ALL_ROLES } from '../auth/roles.js';
import { type ActionDefinition, MachineDefinition, type OnDue, STATE_TAGS, type StateTag, staysPut, targetsOf } from './machine.js';

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
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      'JSON Schema of the body of POST /api/v1/{collection}/{id}/{action}: the request body schema of that route in the OpenAPI document, ' +
      'references resolved, so a client can build the action\'s form without knowing the module. Null when staff do not fire the action ' +
      'over that route (internal, or fired only by a platform, a carrier or the system)',
  })
  inputSchema: Record<string, unknown> | null;
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

/** The body schema of an action's route (see ApiDocument.actionInput); null when there is none. */
export type ActionInputSchema = (collection: string, action: string) => Record<string, unknown> | null;

const firedByStaff = (a: ActionDefinition) => !a.internal && a.actors.some((actor) => (ALL_ROLES as readonly string[]).includes(actor));

export function describeMachine(m: MachineDefinition, inputSchema: ActionInputSchema = () => null): MachineDescriptionDto {
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
      inputSchema: firedByStaff(a) ? inputSchema(m.collection, name) : null,
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
