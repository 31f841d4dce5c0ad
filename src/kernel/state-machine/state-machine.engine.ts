import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../auth/roles.js';
import { writeCaseIndex } from '../cases/case-index.js';
import { KERNEL_GUARDS } from '../cases/case-actions.js';
import { Conflict, NotAllowed, NotFound, RuleViolation } from '../errors/domain-errors.js';
import { computeDue, DEFAULT_BUSINESS_HOURS, DEFAULT_QUIET_HOURS, DEFAULT_TIMEZONE, ShopClock } from '../time/business-clock.js';
import { TimelineEntry, TimelineService } from '../timeline/timeline.service.js';
import {
  actorMayFire, allowedActions, CaseRow, type Effect, type Guard, isIndexed, MachineDefinition, type OnDue, STAY, staysPut, targetsOf, TransitionContext, whyNot,
} from './machine.js';
import { MachineRegistry } from './machine-registry.js';

export interface FireOptions<I = unknown> {
  input?: I;
  expectedVersion?: number;
  note?: string | null;
  data?: Record<string, unknown>;
  /** Run inside the caller's transaction instead of opening one. */
  manager?: EntityManager;
  /** The instant of the transition (timers pass the instant they stand for). */
  now?: Date;
  /** Timeline action name when it differs from the machine action (e.g. a platform fact). */
  timelineAction?: string;
  /** The module's own code fires an `internal` action (never the HTTP action route). */
  internal?: boolean;
}

export interface CreateOptions {
  status: string;
  manager?: EntityManager;
  note?: string | null;
  data?: Record<string, unknown>;
  now?: Date;
  /** Deadlines of the initial state count from here (e.g. when the customer reported it). */
  dueFrom?: Date;
  /**
   * The initial step's deadline when the module computes it (on the business calendar, which the
   * state's fixed DueRule cannot read); replaces the state's rule, which still names its onDue.
   */
  dueAt?: Date | null;
}

/**
 * What a notice is about: a new case, a status change, an action that kept the status (assign,
 * note, a logged call), or the due sweeper marking the case overdue (no timeline event then).
 */
export type ChangeKind = 'created' | 'status' | 'stay' | 'overdue';

/** Told of every status write and every overdue mark, inside its transaction (outbound events, projections). */
export interface TransitionNotice {
  manager: EntityManager;
  machine: MachineDefinition;
  caller: Caller;
  row: CaseRow;
  change: ChangeKind;
  action: string;
  /** null when the case was just created. */
  from: string | null;
  to: string;
  at: Date;
  /** The timeline event written; null for an overdue mark. */
  event: TimelineEntry | null;
}
export type TransitionListener = (notice: TransitionNotice) => Promise<void>;

/** One case for createMany: its caller (merchant), columns, and first timeline note/data. */
export interface NewCase {
  caller: Caller;
  values: Record<string, unknown>;
  note?: string | null;
  data?: Record<string, unknown>;
  /** Deadlines of the initial state count from here (default: now). */
  dueFrom?: Date;
  /** The initial step's deadline computed by the module (see CreateOptions.dueAt). */
  dueAt?: Date | null;
}

export interface TransitionResult {
  row: CaseRow;
  event: TimelineEntry;
  from: string;
  to: string;
}

const DEFAULT_CLOCK: ShopClock = { timezone: DEFAULT_TIMEZONE, businessHours: DEFAULT_BUSINESS_HOURS, quietHours: DEFAULT_QUIET_HOURS };
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDENT_RE = /^[a-z_][a-z0-9_]*$/;
const RESERVED = new Set(['id', 'merchant_id', 'status', 'version', 'due_at', 'created_at', 'updated_at']);

export function isUuid(v: string): boolean {
  return UUID_RE.test(v);
}

type ClockRow = CaseRow & { __tz?: string | null; __bh?: ShopClock['businessHours'] | null; __qh?: ShopClock['quietHours'] | null };

function splitClock(raw: ClockRow): { row: CaseRow; clock: ShopClock } {
  const { __tz, __bh, __qh, ...row } = raw;
  return {
    row: row as CaseRow,
    clock: { timezone: __tz ?? DEFAULT_TIMEZONE, businessHours: __bh ?? DEFAULT_BUSINESS_HOURS, quietHours: __qh ?? DEFAULT_QUIET_HOURS },
  };
}

/**
 * The one writer of statuses. Applies any machine: checks role, current status, version and the
 * pure row checks, runs the named guards, then in one transaction writes the new status (or keeps
 * it) with a compare-and-set on `version`, sets `due_at`, appends the timeline event, runs the
 * named effects, upserts the case index row and tells the listeners.
 */
@Injectable()
export class StateMachineEngine {
  private readonly listeners: TransitionListener[] = [];

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly timeline: TimelineService,
    private readonly registry: MachineRegistry,
  ) {}

  /** Registers a listener called in the transaction of every create and transition. */
  onTransition(listener: TransitionListener): void {
    this.listeners.push(listener);
  }

  /** Tells the listeners, in `notice.manager`'s transaction (also used by the due sweeper's overdue marks). */
  async notify(notice: TransitionNotice): Promise<void> {
    for (const l of this.listeners) await l(notice);
  }

  async fire<I = unknown>(machine: MachineDefinition, id: string, action: string, caller: Caller, opts: FireOptions<I> = {}): Promise<TransitionResult> {
    const def = Object.prototype.hasOwnProperty.call(machine.actions, action) ? machine.actions[action] : undefined;
    // An internal action is unknown to anyone but the module's own code.
    if (!def || (def.internal && !opts.internal)) throw new NotFound(`Action "${action}" of ${machine.name}`);
    if (!isUuid(id)) throw new NotFound(machine.name, id);
    const run = (m: EntityManager) => this.apply(m, machine, id, action, caller, opts);
    return opts.manager ? run(opts.manager) : this.db.transaction(run);
  }

  private async apply(manager: EntityManager, machine: MachineDefinition, id: string, action: string, caller: Caller, opts: FireOptions): Promise<TransitionResult> {
    const def = machine.actions[action];
    const { row, clock } = await this.load(manager, machine, id, caller.merchantId);

    if (!actorMayFire(def, caller)) {
      const who = caller.type === 'staff' ? `role ${caller.role}` : caller.type;
      throw new NotAllowed(`${who} may not ${action} a ${machine.name}; allowed: ${def.actors.join(', ')}`);
    }
    if (!def.from.includes(row.status)) {
      const allowed = allowedActions(machine, row, caller);
      throw new Conflict(
        `Cannot ${action} a ${machine.name} in status ${row.status}; allowed actions: ${allowed.length ? allowed.join(', ') : 'none'}`,
        { status: row.status, allowedActions: allowed },
      );
    }
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== row.version) {
      throw new Conflict(`${machine.name} ${id} is at version ${row.version}, not ${opts.expectedVersion}`, { status: row.status, version: row.version });
    }

    const reason = whyNot(def, row);
    if (reason) throw new RuleViolation(reason, { status: row.status, action });

    const now = opts.now ?? new Date();
    const impl = this.implementations(machine);
    const ctx: TransitionContext = { machine, action, row, input: opts.input ?? {}, caller, now, clock, manager };
    for (const name of def.guards ?? []) await impl.guards[name](ctx);

    const stay = staysPut(def);
    const to = def.to === STAY ? row.status : typeof def.to === 'string' ? def.to : def.to.resolve(ctx);
    if (!targetsOf(def).includes(to)) throw new Error(`machine ${machine.name}: ${action} resolved to undeclared state ${to}`);
    // An action that keeps the status keeps its deadline too, unless it declares its own.
    const keepDue = stay && !def.due;
    const rule = def.due ?? (stay ? undefined : machine.states[to]?.due);
    const dueAt = keepDue ? row.due_at : !rule ? null : rule.kind === 'computed' ? await rule.at(ctx) : computeDue(rule, now, clock);
    const onDue: OnDue | null = keepDue ? null : (def.onDue ?? machine.states[to]?.onDue ?? null);
    const extra = def.set ? await def.set(ctx) : {};

    const cols = Object.keys(extra);
    assertColumns(machine, action, cols);
    const assignments = cols.map((c, i) => `${c} = $${i + 5}`);
    const updated: CaseRow[] = await manager.query(
      `UPDATE ${machine.table} SET status = $3, version = version + 1, due_at = $4, updated_at = now()${assignments.length ? ', ' + assignments.join(', ') : ''}
        WHERE id = $1 AND version = $2 RETURNING *`,
      [id, row.version, to, dueAt, ...cols.map((c) => extra[c])],
    );
    // pg returns [rows, count] for UPDATE ... RETURNING through TypeORM's query(); normalise.
    let next = normaliseReturning(updated);
    if (!next) {
      throw new Conflict(`${machine.name} ${id} was changed by someone else; reload and retry`, { status: row.status, version: row.version });
    }
    const event = await this.timeline.append(manager, {
      merchantId: caller.merchantId,
      subjectType: machine.name,
      subjectId: id,
      at: now,
      caller,
      action: opts.timelineAction ?? action,
      fromStatus: row.status,
      toStatus: to,
      version: next.version,
      note: opts.note ?? null,
      data: { ...(opts.data ?? {}), ...(isPlainObject(opts.input) && Object.keys(opts.input).length ? { input: opts.input } : {}) },
    });
    next = await this.runEffects(manager, machine, def.effects ?? [], impl.effects, ctx, next);
    if (isIndexed(machine)) await writeCaseIndex(manager, machine, [{ row: next, onDue }], now, keepDue);
    // A resolver that lands on the current status (a second unanswered call) changes no status either.
    const change: ChangeKind = stay || to === row.status ? 'stay' : 'status';
    await this.notify({ manager, machine, caller, row: next, change, action: opts.timelineAction ?? action, from: row.status, to, at: now, event });
    return { row: next, event, from: row.status, to };
  }

  /**
   * Inserts a new case in one of the machine's initial states, with its first timeline event.
   * `values` are snake_case columns of the machine's table (never status/version/due_at).
   */
  async create(machine: MachineDefinition, caller: Caller, values: Record<string, unknown>, opts: CreateOptions): Promise<TransitionResult> {
    const [r] = await this.createMany(machine, [{ caller, values, note: opts.note, data: opts.data, dueFrom: opts.dueFrom, dueAt: opts.dueAt }], opts);
    return r;
  }

  /**
   * Inserts many new cases at once (e.g. a scan that finds thousands of stale parcels): one
   * multi-row INSERT and one multi-row timeline INSERT per chunk, the same deadlines, events and
   * listeners as `create`. Every item must set the same columns.
   */
  async createMany(machine: MachineDefinition, items: NewCase[], opts: Omit<CreateOptions, 'note' | 'data' | 'dueFrom' | 'dueAt'>): Promise<TransitionResult[]> {
    if (!machine.initial.includes(opts.status)) throw new Error(`machine ${machine.name}: ${opts.status} is not an initial state`);
    if (!items.length) return [];
    const cols = Object.keys(items[0].values).filter((c) => c !== 'id');
    assertColumns(machine, 'create', cols);
    const shape = [...cols].sort().join(',');
    for (const it of items) {
      if (Object.keys(it.values).filter((c) => c !== 'id').sort().join(',') !== shape) throw new Error(`machine ${machine.name}: createMany items must set the same columns`);
    }
    const run = async (manager: EntityManager): Promise<TransitionResult[]> => {
      const now = opts.now ?? new Date();
      const clocks = await this.clocksOf(manager, items);
      const rule = machine.states[opts.status]?.due;
      const prepared = items.map((it) => {
        const shopId = typeof it.values.shop_id === 'string' ? it.values.shop_id : null;
        const shop = shopId ? clocks.get(shopId) : undefined;
        if (shopId && (!shop || shop.merchantId !== it.caller.merchantId)) throw new NotFound('shop', shopId);
        const clock = shop?.clock ?? DEFAULT_CLOCK;
        const id = typeof it.values.id === 'string' ? it.values.id : randomUUID();
        const dueAt = it.dueAt !== undefined ? it.dueAt : rule ? computeDue(rule, it.dueFrom ?? now, clock) : null;
        return { it, id, dueAt };
      });
      const byId = new Map<string, CaseRow>();
      const width = cols.length + 5;
      const chunk = Math.max(1, Math.floor(30_000 / width));
      for (let k = 0; k < prepared.length; k += chunk) {
        const part = prepared.slice(k, k + chunk);
        const params: unknown[] = [];
        const tuples = part.map((p) => {
          const base = params.length;
          params.push(p.id, p.it.caller.merchantId, opts.status, p.dueAt, ...cols.map((c) => p.it.values[c]));
          return `($${base + 1}, $${base + 2}, $${base + 3}, 1, $${base + 4}${cols.map((_, i) => `, $${base + 5 + i}`).join('')})`;
        });
        const rows: CaseRow[] = await manager.query(
          `INSERT INTO ${machine.table} (id, merchant_id, status, version, due_at${cols.map((c) => ', ' + c).join('')}) VALUES ${tuples.join(', ')} RETURNING *`,
          params,
        );
        for (const r of rows) byId.set(r.id, r);
      }
      const events = await this.timeline.appendMany(
        manager,
        prepared.map((p) => ({
          merchantId: p.it.caller.merchantId,
          subjectType: machine.name,
          subjectId: p.id,
          at: now,
          caller: p.it.caller,
          action: 'create',
          fromStatus: null,
          toStatus: opts.status,
          version: 1,
          note: p.it.note ?? null,
          data: p.it.data ?? {},
        })),
      );
      const rows = prepared.map((p) => {
        const row = byId.get(p.id);
        if (!row) throw new Error(`machine ${machine.name}: inserted row ${p.id} not returned`);
        return row;
      });
      const onDue = machine.states[opts.status]?.onDue ?? null;
      if (isIndexed(machine)) await writeCaseIndex(manager, machine, rows.map((row) => ({ row, onDue })), now);
      const results: TransitionResult[] = [];
      for (const [k, row] of rows.entries()) {
        await this.notify({ manager, machine, caller: prepared[k].it.caller, row, change: 'created', action: 'create', from: null, to: opts.status, at: now, event: events[k] });
        results.push({ row, event: events[k], from: '', to: opts.status });
      }
      return results;
    };
    return opts.manager ? run(opts.manager) : this.db.transaction(run);
  }

  /** Guard and effect code of a machine (by name, so a copy of a registered definition shares it). */
  private implementations(machine: MachineDefinition): { guards: Record<string, Guard>; effects: Record<string, Effect> } {
    const impl = this.registry.implementationsOf(machine.name);
    if (impl) return impl;
    for (const a of Object.values(machine.actions)) {
      for (const g of a.guards ?? []) if (!KERNEL_GUARDS[g]) throw new Error(`machine ${machine.name} is not registered: guard ${g} has no implementation`);
      if (a.effects?.length) throw new Error(`machine ${machine.name} is not registered: effect ${a.effects[0]} has no implementation`);
    }
    return { guards: KERNEL_GUARDS, effects: {} };
  }

  /** Runs named effects in order; columns they return are recorded on the case in the same transaction. */
  private async runEffects(manager: EntityManager, machine: MachineDefinition, names: readonly string[], effects: Record<string, Effect>, ctx: TransitionContext, row: CaseRow): Promise<CaseRow> {
    let current = row;
    for (const name of names) {
      const cols = await effects[name](ctx, current);
      if (!cols || !Object.keys(cols).length) continue;
      const keys = Object.keys(cols);
      assertColumns(machine, `effect ${name}`, keys);
      const res: unknown = await manager.query(
        `UPDATE ${machine.table} SET ${keys.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING *`,
        [current.id, ...keys.map((c) => cols[c])],
      );
      current = normaliseReturning(res) ?? current;
    }
    return current;
  }

  private async clocksOf(manager: EntityManager, items: NewCase[]): Promise<Map<string, { merchantId: string; clock: ShopClock }>> {
    const ids = [...new Set(items.map((i) => i.values.shop_id).filter((v): v is string => typeof v === 'string'))];
    const out = new Map<string, { merchantId: string; clock: ShopClock }>();
    if (!ids.length) return out;
    if (ids.some((id) => !isUuid(id))) throw new NotFound('shop', ids.find((id) => !isUuid(id)));
    const shops: Array<{ id: string; merchant_id: string; timezone: string; business_hours: ShopClock['businessHours']; quiet_hours: ShopClock['quietHours'] }> = await manager.query(
      'SELECT id, merchant_id, timezone, business_hours, quiet_hours FROM shops WHERE id = ANY($1::uuid[])',
      [ids],
    );
    for (const s of shops) out.set(s.id, { merchantId: s.merchant_id, clock: { timezone: s.timezone, businessHours: s.business_hours, quietHours: s.quiet_hours } });
    return out;
  }

  private async load(manager: EntityManager, machine: MachineDefinition, id: string, merchantId: string): Promise<{ row: CaseRow; clock: ShopClock }> {
    const rows: ClockRow[] = await manager.query(
      `SELECT t.*, s.timezone AS __tz, s.business_hours AS __bh, s.quiet_hours AS __qh
         FROM ${machine.table} t LEFT JOIN shops s ON s.id = t.shop_id
        WHERE t.id = $1 AND t.merchant_id = $2`,
      [id, merchantId],
    );
    if (!rows.length) throw new NotFound(machine.name, id);
    return splitClock(rows[0]);
  }
}

function assertColumns(machine: MachineDefinition, what: string, cols: string[]): void {
  for (const c of cols) if (!IDENT_RE.test(c) || RESERVED.has(c)) throw new Error(`machine ${machine.name}: ${what} may not set column ${c}`);
}

function normaliseReturning(result: unknown): CaseRow | undefined {
  if (!Array.isArray(result)) return undefined;
  if (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return (result[0] as CaseRow[])[0];
  return result[0] as CaseRow | undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
