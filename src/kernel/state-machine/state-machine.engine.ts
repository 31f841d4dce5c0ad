import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../auth/roles.js';
import type { BusinessCalendar } from '../calendar/business-calendar.js';
import { dueOnCalendar, shopClockOf } from '../calendar/calendar-due.js';
import { CalendarService } from '../calendar/calendar.service.js';
import { resumedDue, type SlaPause, slaPauseFromJson } from '../calendar/sla-pause.js';
import { SettingsService } from '../settings/settings.service.js';
import { writeCaseIndex } from '../cases/case-index.js';
import { KERNEL_GUARDS } from '../cases/case-actions.js';
import { Conflict, NotAllowed, NotFound, RuleViolation } from '../errors/domain-errors.js';
import { DEFAULT_TIMEZONE } from '../time/business-clock.js';
import { TimelineEntry, TimelineService } from '../timeline/timeline.service.js';
import {
  actorMayFire, allowedActions, CaseRow, type DueSpec, type Effect, type Guard, isIndexed, MachineDefinition, type OnDue, STAY, staysPut, targetsOf, TransitionContext, whyNot,
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

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDENT_RE = /^[a-z_][a-z0-9_]*$/;
const RESERVED = new Set(['id', 'merchant_id', 'status', 'version', 'due_at', 'created_at', 'updated_at']);

export function isUuid(v: string): boolean {
  return UUID_RE.test(v);
}

type ZonedRow = CaseRow & { __tz?: string | null };

/**
 * The one writer of statuses. Applies any machine: checks role, current status, version and the
 * pure row checks, runs the named guards, then in one transaction writes the new status (or keeps
 * it) with a compare-and-set on `version`, sets `due_at`, appends the timeline event, runs the
 * named effects, upserts the case index row and tells the listeners.
 *
 * Deadlines read the merchant's business calendar in the shop's timezone (SPEC §4; a case without
 * a shop: the default timezone). Time in a `waiting_customer` state does not count: a case that
 * re-enters the open step it left to wait on the customer gets the budget that step had left
 * (see `resumedDue`); a case that goes on to another step starts that step's deadline afresh.
 */
@Injectable()
export class StateMachineEngine {
  private readonly listeners: TransitionListener[] = [];

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly timeline: TimelineService,
    private readonly registry: MachineRegistry,
    private readonly calendars: CalendarService,
    private readonly settingsOf: SettingsService,
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
    const { row, calendar } = await this.load(manager, machine, id, caller.merchantId);

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
    const ctx: TransitionContext = {
      machine, action, row, input: opts.input ?? {}, caller, now, calendar, clock: shopClockOf(calendar), manager,
      settings: (section) => this.settingsOf.get(row.merchant_id, section, manager),
    };
    for (const name of def.guards ?? []) await impl.guards[name](ctx);

    const stay = staysPut(def);
    const to = def.to === STAY ? row.status : typeof def.to === 'string' ? def.to : def.to.resolve(ctx);
    if (!targetsOf(def).includes(to)) throw new Error(`machine ${machine.name}: ${action} resolved to undeclared state ${to}`);
    // An action that keeps the status keeps its deadline too, unless it declares its own.
    const keepDue = stay && !def.due;
    const rule = def.due ?? (stay ? undefined : machine.states[to]?.due);
    const sla = keepDue ? undefined : await this.slaPauseOf(manager, machine, row, to, now);
    const dueAt = keepDue ? row.due_at : await this.dueOf(rule, ctx, sla?.resume ?? null);
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
    if (isIndexed(machine)) await writeCaseIndex(manager, machine, [{ row: next, onDue, sla: sla?.keep }], now, keepDue);
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
   * Inserts many new cases at once (e.g. a scan that finds thousands of stale parcels, a webhook
   * batch of new orders): per chunk one INSERT … SELECT FROM unnest for the cases, one for their
   * timeline events and one for their index rows; the same deadlines, events and listeners as
   * `create`. Every item must set the same columns.
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
      const zones = await this.zonesOf(manager, items);
      const rule = machine.states[opts.status]?.due;
      const prepared: Array<{ it: NewCase; id: string; dueAt: Date | null }> = [];
      for (const it of items) {
        const shopId = typeof it.values.shop_id === 'string' ? it.values.shop_id : null;
        const shop = shopId ? zones.get(shopId) : undefined;
        if (shopId && (!shop || shop.merchantId !== it.caller.merchantId)) throw new NotFound('shop', shopId);
        const id = typeof it.values.id === 'string' ? it.values.id : randomUUID();
        const calendar = rule && it.dueAt === undefined ? await this.calendars.forMerchant(it.caller.merchantId, shop?.timezone ?? DEFAULT_TIMEZONE, manager) : null;
        const dueAt = it.dueAt !== undefined ? it.dueAt : rule && calendar ? dueOnCalendar(rule, it.dueFrom ?? now, calendar) : null;
        prepared.push({ it, id, dueAt });
      }
      const byId = new Map<string, CaseRow>();
      const all = ['id', 'merchant_id', 'status', 'version', 'due_at', ...cols];
      const valueOf = (p: (typeof prepared)[number], c: string): unknown =>
        c === 'id' ? p.id : c === 'merchant_id' ? p.it.caller.merchantId : c === 'status' ? opts.status : c === 'version' ? 1 : c === 'due_at' ? p.dueAt : p.it.values[c];
      // One array per column (unnest): a fixed number of parameters however many cases, which
      // PostgreSQL binds and plans far faster than thousands of VALUES placeholders. Array-valued
      // columns cannot travel inside an array parameter: those go as VALUES.
      const arrayValued = prepared.some((p) => cols.some((c) => Array.isArray(p.it.values[c])));
      const types = arrayValued ? null : await this.columnTypes(manager, machine.table);
      const chunk = types ? 5_000 : Math.max(1, Math.floor(30_000 / all.length));
      for (let k = 0; k < prepared.length; k += chunk) {
        const part = prepared.slice(k, k + chunk);
        let rows: CaseRow[];
        if (types) {
          rows = await manager.query(
            `INSERT INTO ${machine.table} (${all.join(', ')}) SELECT * FROM unnest(${all.map((c, i) => `$${i + 1}::${typeOf(machine, types, c)}[]`).join(', ')}) RETURNING *`,
            all.map((c) => part.map((p) => valueOf(p, c))),
          );
        } else {
          const params: unknown[] = [];
          const tuples = part.map((p) => `(${all.map((c) => `$${params.push(valueOf(p, c))}`).join(', ')})`);
          rows = await manager.query(`INSERT INTO ${machine.table} (${all.join(', ')}) VALUES ${tuples.join(', ')} RETURNING *`, params);
        }
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

  private readonly tableTypes = new Map<string, Map<string, string>>();

  /** A case table's column types, for typed unnest arrays (schema changes only by migrations, before start). */
  private async columnTypes(manager: EntityManager, table: string): Promise<Map<string, string>> {
    let types = this.tableTypes.get(table);
    if (!types) {
      const rows: Array<{ name: string; type: string }> = await manager.query(
        `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
        [table],
      );
      types = new Map(rows.map((r) => [r.name, r.type]));
      this.tableTypes.set(table, types);
    }
    return types;
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

  /** The step's deadline: the resumed budget when there is one, else its rule from now. */
  private async dueOf(rule: DueSpec | undefined, ctx: TransitionContext, resume: SlaPause | null): Promise<Date | null> {
    if (!rule) return null;
    if (rule.kind === 'computed') return rule.at(ctx);
    return (resume ? resumedDue(rule, resume, ctx.now, ctx.calendar) : undefined) ?? dueOnCalendar(rule, ctx.now, ctx.calendar);
  }

  /**
   * What the SLA pause of a transition is (SPEC §4): entering a `waiting_customer` state from an
   * open one keeps the running deadline on the index row (`keep`); leaving the waiting states for
   * the same open step hands it back (`resume`); waiting → waiting keeps the pause as it is.
   * Machines without an index row restart their deadlines.
   */
  private async slaPauseOf(manager: EntityManager, machine: MachineDefinition, row: CaseRow, to: string, now: Date): Promise<{ keep?: SlaPause | null; resume: SlaPause | null } | undefined> {
    if (!isIndexed(machine)) return undefined;
    const waiting = (s: string) => machine.states[s]?.tags.includes('waiting_customer') ?? false;
    if (waiting(to)) {
      if (waiting(row.status)) return { resume: null };
      return { keep: row.due_at ? { state: row.status, dueAt: new Date(row.due_at), pausedAt: now } : null, resume: null };
    }
    if (!waiting(row.status)) return { keep: null, resume: null };
    const [ix]: Array<{ sla_paused: unknown }> = await manager.query('SELECT sla_paused FROM case_index WHERE machine = $1 AND case_id = $2', [machine.name, row.id]);
    const pause = slaPauseFromJson(ix?.sla_paused);
    return { keep: null, resume: pause && pause.state === to ? pause : null };
  }

  private async zonesOf(manager: EntityManager, items: NewCase[]): Promise<Map<string, { merchantId: string; timezone: string }>> {
    const ids = [...new Set(items.map((i) => i.values.shop_id).filter((v): v is string => typeof v === 'string'))];
    const out = new Map<string, { merchantId: string; timezone: string }>();
    if (!ids.length) return out;
    if (ids.some((id) => !isUuid(id))) throw new NotFound('shop', ids.find((id) => !isUuid(id)));
    const shops: Array<{ id: string; merchant_id: string; timezone: string }> = await manager.query(
      'SELECT id, merchant_id, timezone FROM shops WHERE id = ANY($1::uuid[])',
      [ids],
    );
    for (const s of shops) out.set(s.id, { merchantId: s.merchant_id, timezone: s.timezone });
    return out;
  }

  /** The case and its shop's business calendar (cached by CalendarService). */
  private async load(manager: EntityManager, machine: MachineDefinition, id: string, merchantId: string): Promise<{ row: CaseRow; calendar: BusinessCalendar }> {
    const rows: ZonedRow[] = await manager.query(
      `SELECT t.*, s.timezone AS __tz
         FROM ${machine.table} t LEFT JOIN shops s ON s.id = t.shop_id
        WHERE t.id = $1 AND t.merchant_id = $2`,
      [id, merchantId],
    );
    if (!rows.length) throw new NotFound(machine.name, id);
    const { __tz, ...row } = rows[0];
    const calendar = await this.calendars.forMerchant(merchantId, __tz ?? DEFAULT_TIMEZONE, manager);
    return { row: row as CaseRow, calendar };
  }
}

function typeOf(machine: MachineDefinition, types: Map<string, string>, column: string): string {
  const t = types.get(column);
  if (!t) throw new Error(`machine ${machine.name}: table ${machine.table} has no column ${column}`);
  return t;
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
