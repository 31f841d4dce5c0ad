import type { EntityManager } from 'typeorm';
import type { ActorType, Caller, Role } from '../auth/roles.js';
import type { BusinessCalendar } from '../calendar/business-calendar.js';
import type { SettingsSection } from '../settings/settings-section.js';
import { caseActionsFor } from '../cases/case-actions.js';
import type { DueRule, ShopClock } from '../time/business-clock.js';

/** Who may fire an action: staff roles, or a non-staff actor type (platform, carrier, system). */
export type Actor = Role | Exclude<ActorType, 'staff'>;

/**
 * What a state means across modules, for the case index (worklist, follow-ups, reports, the
 * order-completion guard). Every state carries exactly one of `open`, `waiting_customer`,
 * `closed`, and may add `resolved` (the customer's problem is solved, e.g. a reship went out,
 * even if wrap-up work remains).
 */
export const STATE_TAGS = ['open', 'waiting_customer', 'resolved', 'closed'] as const;
export type StateTag = (typeof STATE_TAGS)[number];
const PHASE_TAGS: readonly StateTag[] = ['open', 'waiting_customer', 'closed'];

/** `to` of an action that records something without changing the status (assign, note, log-contact). */
export const STAY = 'stay' as const;

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
  /** The merchant's business calendar in the case's shop timezone (SPEC §4): every deadline reads it. */
  calendar: BusinessCalendar;
  /**
   * @deprecated The calendar as the older single-window clock (`shopClockOf`); read `calendar`
   * (its `timezone` is the shop's).
   */
  clock: ShopClock;
  manager: EntityManager;
  /** The case's merchant's settings section (the registry's one read, in this transaction). */
  settings<T extends object>(section: SettingsSection<T>): Promise<T>;
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

/**
 * What happens when `dueAt` passes, applied by the kernel's due sweeper exactly once:
 * fire an action as the system (escalate, auto-close, complete), or only mark the case overdue
 * (case_index.overdue_at, and a `case.overdue` notice to listeners).
 */
export type OnDue =
  | {
      action: string;
      /** Timeline note of the timer's transition. */
      note?: string;
      /** When a guard refuses the action (422), look again after this many minutes (default 30). */
      retryMinutes?: number;
    }
  | { mark: 'overdue' };

/**
 * A named check that runs before any write; throws a domain error (usually RuleViolation) to
 * refuse. It may read the input and the database. Machines name guards; the module supplies
 * their code when it registers the machine.
 */
export type Guard = (ctx: TransitionContext) => void | Promise<void>;

/**
 * A named side effect, run in the transition's transaction after the status write (other rows,
 * outbox messages, jobs). It may return columns to record on the case in the same transaction
 * (e.g. the id of an order it created).
 */
export type Effect = (ctx: TransitionContext, updated: CaseRow) => Promise<void | Record<string, unknown>>;

/**
 * A pure check of the case row alone: which actions fit the case now. Evaluated for
 * `allowedActions` and again before firing (422 with the returned reason). Returns null when
 * the action fits.
 */
export type RowCheck = (row: CaseRow) => string | null;

export interface ActionDefinition<S extends string = string> {
  description: string;
  from: readonly S[];
  /**
   * The target state; `stay` keeps the status (still a timeline event and a version bump); or a
   * resolver choosing among `targets` from the data (derive, don't store twice).
   */
  to: S | typeof STAY | { targets: readonly S[]; resolve: (ctx: TransitionContext) => S };
  actors: readonly Actor[];
  /** Pure row checks: which of the status's actions fit this case (see RowCheck). */
  when?: readonly RowCheck[];
  /** Guards by name; implementations come with `MachineRegistry.register`. */
  guards?: readonly string[];
  /** Side effects by name; implementations come with `MachineRegistry.register`. */
  effects?: readonly string[];
  /**
   * SLA of the step entered; falls back to the target state's `due`; none clears `dueAt`.
   * A `stay` action without its own `due` keeps the current deadline.
   */
  due?: DueSpec;
  /** What happens when this step's deadline passes; falls back to the target state's `onDue`. */
  onDue?: OnDue;
  /** Extra columns to write with the transition, in the same UPDATE (snake_case names). */
  set?: (ctx: TransitionContext) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Optional DTO class of the action's body, for docs and dynamic validation. */
  input?: new () => object;
  /**
   * Fired only by the module's own code (a sub-resource like a logged call, a fact recorded on
   * another case), never by name over the HTTP action route; not listed in allowedActions.
   */
  internal?: boolean;
}

export interface StateDefinition {
  description: string;
  /** What the state means across modules (see StateTag). */
  tags: readonly StateTag[];
  terminal?: boolean;
  due?: DueRule;
  /** What happens when the deadline of this state passes (see OnDue). */
  onDue?: OnDue;
}

/**
 * `case`: a case of SPEC §3 (assignee, cost, recovered; indexed; gets the kernel's `assign` and
 * `note` actions). `record`: another row with a lifecycle (an order, a refund).
 */
export type MachineKind = 'case' | 'record';

export interface MachineDefinition<S extends string = string> {
  /** Machine name, e.g. `order`; also the timeline subject type. */
  name: string;
  /** Table holding the cases (shared columns: id, merchant_id, shop_id, status, version, due_at, updated_at). */
  table: string;
  /** REST collection under /api/v1. */
  collection: string;
  description: string;
  /** Default `record`. */
  kind?: MachineKind;
  /**
   * Keep a case_index row per instance (default: cases only). A record machine with `onDue`
   * rules must be indexed, since the due sweeper works over the index.
   */
  indexed?: boolean;
  states: Record<S, StateDefinition>;
  /** States a case may be created in. */
  initial: readonly S[];
  actions: Record<string, ActionDefinition<S>>;
}

/** The code a module supplies for the guards and effects its machine names (XState's `setup`). */
export interface MachineImplementations {
  guards?: Record<string, Guard>;
  effects?: Record<string, Effect>;
}

/** Declares a machine. Case machines get the kernel's case actions (`assign`, `note`, see kernel/cases). */
export function defineMachine<S extends string>(def: MachineDefinition<S>): MachineDefinition<S> {
  let full = def;
  if (def.kind === 'case') {
    const kernel = caseActionsFor(def);
    for (const name of Object.keys(kernel)) if (name in def.actions) throw new Error(`machine ${def.name}: action ${name} is the kernel's case action`);
    full = { ...def, actions: { ...def.actions, ...kernel } };
  }
  validateMachine(full);
  return full;
}

export function isIndexed(def: MachineDefinition): boolean {
  return def.indexed ?? def.kind === 'case';
}

/** Every state an action may lead to (its sources, for a `stay` action). */
export function targetsOf(a: ActionDefinition): readonly string[] {
  if (a.to === STAY) return a.from;
  return typeof a.to === 'string' ? [a.to] : a.to.targets;
}

export function staysPut(a: ActionDefinition): boolean {
  return a.to === STAY;
}

/** States tagged with `tag`. */
export function statesTagged(def: MachineDefinition, tag: StateTag): string[] {
  return Object.entries(def.states)
    .filter(([, s]) => s.tags.includes(tag))
    .map(([name]) => name);
}

/** Structural checks so that a typo in a machine fails at start, not in production. */
export function validateMachine(def: MachineDefinition): void {
  const states = new Set(Object.keys(def.states));
  const bad = (msg: string): never => {
    throw new Error(`machine ${def.name}: ${msg}`);
  };
  if (!/^[a-z_]+$/.test(def.table)) bad(`table name "${def.table}" must be snake_case`);
  if (states.has(STAY)) bad(`"${STAY}" is reserved and cannot name a state`);
  for (const [name, s] of Object.entries(def.states)) {
    if (!Array.isArray(s.tags) || !s.tags.length) bad(`state ${name} declares no tags (one of ${PHASE_TAGS.join(', ')}, optionally resolved)`);
    for (const t of s.tags) if (!STATE_TAGS.includes(t)) bad(`state ${name}: unknown tag ${t}`);
    const phases = s.tags.filter((t) => PHASE_TAGS.includes(t));
    if (phases.length !== 1) bad(`state ${name} must carry exactly one of ${PHASE_TAGS.join(', ')}`);
    if (s.terminal && !s.tags.includes('closed')) bad(`terminal state ${name} must be tagged closed`);
    if (s.onDue) checkOnDue(`state ${name}`, s.onDue, [name]);
  }
  for (const s of def.initial) if (!states.has(s)) bad(`initial state ${s} is not declared`);
  for (const [name, a] of Object.entries(def.actions)) {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) bad(`action "${name}" must be kebab-case`);
    if (!a.from.length) bad(`action ${name} has no source state`);
    for (const s of a.from) if (!states.has(s)) bad(`action ${name}: unknown source state ${s}`);
    for (const s of targetsOf(a)) if (!states.has(s)) bad(`action ${name}: unknown target state ${s}`);
    if (!a.actors.length) bad(`action ${name} names no actor`);
    for (const g of a.guards ?? []) if (typeof g !== 'string' || !g) bad(`action ${name}: guards are named (strings), implemented at registration`);
    for (const e of a.effects ?? []) if (typeof e !== 'string' || !e) bad(`action ${name}: effects are named (strings), implemented at registration`);
    for (const w of a.when ?? []) if (typeof w !== 'function' || !w.name) bad(`action ${name}: "when" checks are named functions of the row`);
    if (a.onDue) checkOnDue(`action ${name}`, a.onDue, targetsOf(a));
  }
  const hasOnDue = Object.values(def.states).some((s) => s.onDue) || Object.values(def.actions).some((a) => a.onDue);
  if (hasOnDue && !isIndexed(def)) bad('onDue rules need the machine indexed (indexed: true): the due sweeper works over case_index');

  function checkOnDue(where: string, rule: OnDue, inStates: readonly string[]): void {
    if ('mark' in rule) {
      if (rule.mark !== 'overdue') bad(`${where}: onDue.mark must be "overdue"`);
      return;
    }
    const a = Object.prototype.hasOwnProperty.call(def.actions, rule.action) ? def.actions[rule.action] : undefined;
    if (!a) return bad(`${where}: onDue fires unknown action ${rule.action}`);
    if (!a.actors.includes('system')) bad(`${where}: onDue action ${rule.action} must allow the system actor`);
    for (const s of inStates) if (!a.from.includes(s)) bad(`${where}: onDue action ${rule.action} cannot fire from ${s}`);
  }
}

/** Every guard and effect name a machine uses. */
export function namedDependencies(def: MachineDefinition): { guards: Set<string>; effects: Set<string> } {
  const guards = new Set<string>();
  const effects = new Set<string>();
  for (const a of Object.values(def.actions)) {
    for (const g of a.guards ?? []) guards.add(g);
    for (const e of a.effects ?? []) effects.add(e);
  }
  return { guards, effects };
}

/** The reason a pure row check refuses `action` on `row`, or null when it fits. */
export function whyNot(a: ActionDefinition, row: CaseRow): string | null {
  for (const check of a.when ?? []) {
    const reason = check(row);
    if (reason) return reason;
  }
  return null;
}

/**
 * Actions the caller may fire now: the status's actions for the caller's role whose pure row
 * checks (`when`) pass. Guards that read input or the database are not evaluated. Give the raw
 * row (snake_case columns) when the machine has `when` checks; `{ status }` is enough otherwise.
 */
export function allowedActions(def: MachineDefinition, row: { status: string; [column: string]: unknown }, caller: Caller): string[] {
  return Object.entries(def.actions)
    .filter(([, a]) => !a.internal && a.from.includes(row.status) && actorMayFire(a, caller) && whyNot(a, row as unknown as CaseRow) === null)
    .map(([name]) => name);
}

export function actorMayFire(a: ActionDefinition, caller: Caller): boolean {
  if (caller.type === 'staff') return caller.role !== undefined && a.actors.includes(caller.role);
  return a.actors.includes(caller.type);
}
