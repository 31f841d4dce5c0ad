import type { EntityManager } from 'typeorm';
import type { ActorType, Caller, Role } from '../auth/roles.js';
import type { DueRule, ShopClock } from '../time/business-clock.js';

/** Who may fire an action: staff roles, or a non-staff actor type (platform, carrier, system). */
export type Actor = Role | Exclude<ActorType, 'staff'>;

/** A case row as the engine sees it: the shared columns plus whatever the module's table has. */
export interface CaseRow {
  id: string;
  merchant_id: string;
  shop_id: string | null;
  status: string;
  version: number;
  due_at: Date | null;
  [column: string]: unknown;
}

/** What guards, target resolvers and effects receive. */
export interface TransitionContext<I = any> {
  machine: MachineDefinition;
  action: string;
  row: CaseRow;
  input: I;
  caller: Caller;
  now: Date;
  clock: ShopClock;
  manager: EntityManager;
}

/**
 * A deadline the fixed DueRule kinds cannot express (it needs merchant settings or a
 * procedure-specific calendar): computed from the transition context, inside its transaction.
 */
export interface ComputedDue {
  kind: 'computed';
  /** What the deadline is, for /meta/state-machines. */
  note: string;
  at: (ctx: TransitionContext) => Date | null | Promise<Date | null>;
}

export type DueSpec = DueRule | ComputedDue;

/** A named check that runs before any write; throws a domain error (usually RuleViolation) to refuse. */
export type Guard = ((ctx: TransitionContext) => void | Promise<void>) & { readonly name: string };

export interface ActionDefinition<S extends string = string> {
  description: string;
  from: readonly S[];
  /** The target state, or a resolver choosing among `targets` from the data (derive, don't store twice). */
  to: S | { targets: readonly S[]; resolve: (ctx: TransitionContext) => S };
  actors: readonly Actor[];
  guards?: readonly Guard[];
  /** SLA of the step entered; falls back to the target state's `due`; none clears `dueAt`. */
  due?: DueSpec;
  /** Extra columns to write with the transition, in the same UPDATE (snake_case names). */
  set?: (ctx: TransitionContext) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Work done in the same transaction after the status write (other rows, outbox messages). */
  effects?: (ctx: TransitionContext, updated: CaseRow) => Promise<void>;
  /** Optional DTO class of the action's body, for docs and dynamic validation. */
  input?: new () => object;
}

export interface StateDefinition {
  description: string;
  terminal?: boolean;
  due?: DueRule;
}

export interface MachineDefinition<S extends string = string> {
  /** Machine name, e.g. `order`; also the timeline subject type. */
  name: string;
  /** Table holding the cases (shared columns: id, merchant_id, shop_id, status, version, due_at, updated_at). */
  table: string;
  /** REST collection under /api/v1. */
  collection: string;
  description: string;
  states: Record<S, StateDefinition>;
  /** States a case may be created in. */
  initial: readonly S[];
  actions: Record<string, ActionDefinition<S>>;
}

export function defineMachine<S extends string>(def: MachineDefinition<S>): MachineDefinition<S> {
  validateMachine(def);
  return def;
}

/** Every state an action may lead to. */
export function targetsOf(a: ActionDefinition): readonly string[] {
  return typeof a.to === 'string' ? [a.to] : a.to.targets;
}

/** Structural checks so that a typo in a machine fails at start, not in production. */
export function validateMachine(def: MachineDefinition): void {
  const states = new Set(Object.keys(def.states));
  const bad = (msg: string) => {
    throw new Error(`machine ${def.name}: ${msg}`);
  };
  if (!/^[a-z_]+$/.test(def.table)) bad(`table name "${def.table}" must be snake_case`);
  for (const s of def.initial) if (!states.has(s)) bad(`initial state ${s} is not declared`);
  for (const [name, a] of Object.entries(def.actions)) {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) bad(`action "${name}" must be kebab-case`);
    if (!a.from.length) bad(`action ${name} has no source state`);
    for (const s of a.from) if (!states.has(s)) bad(`action ${name}: unknown source state ${s}`);
    for (const s of targetsOf(a)) if (!states.has(s)) bad(`action ${name}: unknown target state ${s}`);
    if (!a.actors.length) bad(`action ${name} names no actor`);
  }
}

/** Actions that can fire from `status` for `actor` (roles only; guards are not evaluated). */
export function allowedActions(def: MachineDefinition, status: string, caller: Caller): string[] {
  return Object.entries(def.actions)
    .filter(([, a]) => a.from.includes(status) && actorMayFire(a, caller))
    .map(([name]) => name);
}

export function actorMayFire(a: ActionDefinition, caller: Caller): boolean {
  if (caller.type === 'staff') return caller.role !== undefined && a.actors.includes(caller.role);
  return a.actors.includes(caller.type);
}
