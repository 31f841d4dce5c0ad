import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { systemCaller } from '../auth/roles.js';
import { Conflict, RuleViolation } from '../errors/domain-errors.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { CaseRow, MachineDefinition, OnDue } from '../state-machine/machine.js';
import { MachineRegistry } from '../state-machine/machine-registry.js';
import { StateMachineEngine } from '../state-machine/state-machine.engine.js';

/** The one timer of every machine: a pg-boss schedule sweeping case_index (at most a minute late). */
export const DUE_SWEEP_JOB = 'kernel.due-sweep';
const DUE_SWEEP_CRON = '* * * * *';
const BATCH = 200;
/** When an onDue action is refused or fails, look again this much later unless its rule says otherwise. */
const DEFAULT_RETRY_MINUTES = 30;

export type SweepOutcome =
  /** The onDue action fired. */
  | 'fired'
  /** The case was marked overdue (and listeners told, once). */
  | 'marked'
  /** The case moved on before its deadline was swept (the action no longer applies): done. */
  | 'moot'
  /** A guard refused the action (422); looked at again after the rule's retry delay. */
  | 'refused'
  /** Someone else holds the case (a staff action, another sweeper): the next sweep looks again. */
  | 'busy'
  /** Another sweeper already handled it. */
  | 'done'
  /** An unexpected error; looked at again after the retry delay. */
  | 'failed';

export interface SweepResult {
  machine: string;
  id: string;
  outcome: SweepOutcome;
}

interface IndexRow {
  merchant_id: string;
  status: string;
  due_at: Date | null;
  on_due: OnDue | null;
  next_sweep_at: Date | null;
}

/**
 * Applies the machines' `onDue` rules when `dueAt` passes: fires the declared action as the
 * system, or marks the case overdue. Exactly once across instances and under pg-boss's
 * at-least-once delivery: each row is handled in one transaction that locks the case row (SKIP
 * LOCKED: a busy case waits for the next sweep), re-reads its index row and clears its sweep time
 * together with the action's own writes. A Conflict (the case moved on) counts as done.
 */
@Injectable()
export class DueSweeper implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('DueSweeper');
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobsService,
    private readonly engine: StateMachineEngine,
    private readonly registry: MachineRegistry,
  ) {}

  onModuleInit(): void {
    this.jobs.define(DUE_SWEEP_JOB, async () => {
      await this.sweep(new Date());
    });
    this.jobs.every(DUE_SWEEP_JOB, DUE_SWEEP_CRON);
  }

  /** A sweep in progress stops between rows; what it left is due for the next one. */
  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  /** Handles every row due by `now` (tests pass the instant they stand for). */
  async sweep(now: Date = new Date()): Promise<SweepResult[]> {
    const results: SweepResult[] = [];
    let after: { at: Date; machine: string; id: string } | null = null;
    for (;;) {
      const rows: Array<{ machine: string; case_id: string; next_sweep_at: Date }> = await this.db.query(
        `SELECT machine, case_id, next_sweep_at FROM case_index
          WHERE next_sweep_at <= $1 AND ($2::timestamptz IS NULL OR (next_sweep_at, machine, case_id) > ($2::timestamptz, $3::text, $4::uuid))
          ORDER BY next_sweep_at, machine, case_id LIMIT ${BATCH}`,
        [now, after?.at ?? null, after?.machine ?? null, after?.id ?? null],
      );
      for (const r of rows) {
        if (this.stopping) return results;
        results.push({ machine: r.machine, id: r.case_id, outcome: await this.sweepOne(r.machine, r.case_id, now) });
      }
      if (rows.length < BATCH) return results;
      const last = rows[rows.length - 1];
      after = { at: last.next_sweep_at, machine: last.machine, id: last.case_id };
    }
  }

  private async sweepOne(name: string, id: string, now: Date): Promise<SweepOutcome> {
    const machine = this.registry.get(name);
    if (!machine) return 'busy'; // not known to this instance (e.g. during a rolling deploy): another one handles it
    try {
      return await this.db.transaction((m) => this.apply(m, machine, id, now));
    } catch (err) {
      this.logger.warn(`due sweep of ${name} ${id} failed: ${err instanceof Error ? err.message : String(err)}`);
      await this.db.query(`UPDATE case_index SET next_sweep_at = $3 WHERE machine = $1 AND case_id = $2 AND next_sweep_at <= $4`, [
        name, id, addMinutes(now, DEFAULT_RETRY_MINUTES), now,
      ]);
      return 'failed';
    }
  }

  private async apply(m: EntityManager, machine: MachineDefinition, id: string, now: Date): Promise<SweepOutcome> {
    // The engine's lock order: the case row, then its index row.
    const locked: CaseRow[] = await m.query(`SELECT * FROM ${machine.table} WHERE id = $1 FOR UPDATE SKIP LOCKED`, [id]);
    if (!locked.length) return 'busy';
    const [ix]: IndexRow[] = await m.query(
      'SELECT merchant_id, status, due_at, on_due, next_sweep_at FROM case_index WHERE machine = $1 AND case_id = $2 FOR UPDATE',
      [machine.name, id],
    );
    if (!ix?.next_sweep_at || ix.next_sweep_at > now) return 'done';
    await m.query('UPDATE case_index SET next_sweep_at = NULL WHERE machine = $1 AND case_id = $2', [machine.name, id]);
    const rule = ix.on_due;
    if (!rule) return 'done';
    const caller = systemCaller(ix.merchant_id);

    if ('mark' in rule) {
      await m.query('UPDATE case_index SET overdue_at = $3 WHERE machine = $1 AND case_id = $2', [machine.name, id, now]);
      await this.engine.notify({ manager: m, machine, caller, row: locked[0], change: 'overdue', action: 'overdue', from: ix.status, to: ix.status, at: now, event: null });
      return 'marked';
    }

    await m.query('SAVEPOINT due_fire');
    try {
      await this.engine.fire(machine, id, rule.action, caller, { manager: m, now, note: rule.note ?? null, data: { timer: true, dueAt: ix.due_at } });
      await m.query('RELEASE SAVEPOINT due_fire');
      return 'fired';
    } catch (err) {
      await m.query('ROLLBACK TO SAVEPOINT due_fire');
      if (err instanceof Conflict) return 'moot';
      if (!(err instanceof RuleViolation)) throw err;
      await m.query('UPDATE case_index SET next_sweep_at = $3 WHERE machine = $1 AND case_id = $2', [
        machine.name, id, addMinutes(now, rule.retryMinutes ?? DEFAULT_RETRY_MINUTES),
      ]);
      return 'refused';
    }
  }
}

function addMinutes(d: Date, minutes: number): Date {
  return new Date(d.getTime() + minutes * 60_000);
}
