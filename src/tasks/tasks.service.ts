import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Caller, systemCaller } from '../kernel/auth/roles.js';
import type { AssignCaseDto, CaseActionDto } from '../kernel/cases/case-action.dto.js';
import { caseFilter } from '../kernel/cases/case-filter.js';
import { NotFound } from '../kernel/errors/domain-errors.js';
import { mapPage, type Page, paginateSql } from '../kernel/pagination/pagination.js';
import { allowedActions } from '../kernel/state-machine/machine.js';
import { MachineRegistry } from '../kernel/state-machine/machine-registry.js';
import { isUuid, StateMachineEngine } from '../kernel/state-machine/state-machine.engine.js';
import { type DismissTaskDto, type DoneTaskDto, type ListTasksQueryDto, type TaskDetailDto, type TaskResponseDto, toTaskResponse } from './dto.js';
import { TaskKind, type TaskRow, TaskStatus } from './task.entity.js';
import { taskMachine } from './task.machine.js';

export interface NewTask {
  merchantId: string;
  shopId: string | null;
  kind: TaskKind;
  subjectType: string;
  subjectId: string;
  title: string;
  dueAt: Date | null;
  /** At most one task per (merchant, kind, dedupeKey), whatever runs twice. */
  dedupeKey: string;
}

/** Worklist tasks: created by timers and modules, worked by staff through the task machine. */
@Injectable()
export class TasksService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly engine: StateMachineEngine,
    private readonly registry: MachineRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(taskMachine);
  }

  /**
   * Creates the task unless one with the same dedupe key exists; true when created. Runs in the
   * caller's transaction (a timer's transition): the key is locked first, so two timers never
   * race into the unique index and abort the transition that called them.
   */
  async createOnce(manager: EntityManager, t: NewTask): Promise<boolean> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`task:${t.merchantId}:${t.kind}:${t.dedupeKey}`]);
    const existing: unknown[] = await manager.query('SELECT 1 FROM tasks WHERE merchant_id = $1 AND kind = $2 AND dedupe_key = $3', [t.merchantId, t.kind, t.dedupeKey]);
    if (existing.length) return false;
    await this.engine.create(
      taskMachine,
      systemCaller(t.merchantId),
      { shop_id: t.shopId, kind: t.kind, subject_type: t.subjectType, subject_id: t.subjectId, title: t.title, dedupe_key: t.dedupeKey },
      { status: TaskStatus.Open, manager, dueAt: t.dueAt, data: { kind: t.kind, subjectType: t.subjectType, subjectId: t.subjectId } },
    );
    return true;
  }

  /** Resolves the open tasks of a kind about a subject (the work became moot), through the machine. */
  async closeOpenFor(manager: EntityManager, merchantId: string, kind: TaskKind, subjectId: string, note = 'no longer needed'): Promise<void> {
    const open: Array<{ id: string }> = await manager.query('SELECT id FROM tasks WHERE merchant_id = $1 AND kind = $2 AND subject_id = $3 AND status = $4', [
      merchantId,
      kind,
      subjectId,
      TaskStatus.Open,
    ]);
    for (const { id } of open) await this.engine.fire(taskMachine, id, 'resolve', systemCaller(merchantId), { manager, internal: true, note });
  }

  async list(caller: Caller, q: ListTasksQueryDto): Promise<Page<TaskResponseDto>> {
    const f = caseFilter(caller.merchantId, q);
    if (q.kind) f.add('kind = ?', q.kind);
    if (q.subjectId) f.add('subject_id = ?', q.subjectId);
    const now = new Date();
    return mapPage(await paginateSql<TaskRow>(this.db, 'tasks', f, q), (r) => toTaskResponse(r, now));
  }

  async get(caller: Caller, id: string): Promise<TaskDetailDto> {
    const rows: TaskRow[] = isUuid(id) ? await this.db.query('SELECT * FROM tasks WHERE id = $1 AND merchant_id = $2', [id, caller.merchantId]) : [];
    if (!rows.length) throw new NotFound('task', id);
    return { ...toTaskResponse(rows[0]), allowedActions: allowedActions(taskMachine, rows[0] as unknown as { status: string }, caller) };
  }

  assign(caller: Caller, id: string, dto: AssignCaseDto): Promise<TaskDetailDto> {
    return this.act(caller, id, 'assign', dto);
  }

  done(caller: Caller, id: string, dto: DoneTaskDto): Promise<TaskDetailDto> {
    return this.act(caller, id, 'done', dto);
  }

  dismiss(caller: Caller, id: string, dto: DismissTaskDto): Promise<TaskDetailDto> {
    return this.act(caller, id, 'dismiss', dto);
  }

  private async act(caller: Caller, id: string, action: string, dto: CaseActionDto): Promise<TaskDetailDto> {
    await this.engine.fire(taskMachine, id, action, caller, { input: dto, expectedVersion: dto.expectedVersion, note: dto.note ?? null });
    return this.get(caller, id);
  }
}
