import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { Caller } from '../kernel/auth/roles.js';
import { mapPage, Page, paginate } from '../kernel/pagination/pagination.js';
import { ListTasksQueryDto, TaskResponseDto, toTaskResponse } from './dto.js';
import { Task, TaskKind, TaskStatus } from './task.entity.js';

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

/** Work put on the worklist by timers. */
@Injectable()
export class TasksService {
  constructor(@InjectRepository(Task) private readonly repo: Repository<Task>) {}

  /** Creates the task unless one with the same dedupe key exists; true when created. */
  async createOnce(manager: EntityManager, t: NewTask): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO tasks (merchant_id, shop_id, kind, subject_type, subject_id, title, due_at, dedupe_key, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (merchant_id, kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING RETURNING id`,
      [t.merchantId, t.shopId, t.kind, t.subjectType, t.subjectId, t.title, t.dueAt, t.dedupeKey, TaskStatus.Open],
    );
    return rows.length > 0;
  }

  /** Closes the open tasks of a kind about a subject (the work became moot). */
  async closeOpenFor(manager: EntityManager, merchantId: string, kind: TaskKind, subjectId: string): Promise<void> {
    await manager.query(`UPDATE tasks SET status = $4, done_at = now() WHERE merchant_id = $1 AND kind = $2 AND subject_id = $3 AND status = $5`, [
      merchantId,
      kind,
      subjectId,
      TaskStatus.Done,
      TaskStatus.Open,
    ]);
  }

  async list(caller: Caller, q: ListTasksQueryDto): Promise<Page<TaskResponseDto>> {
    const qb = this.repo.createQueryBuilder('t').where('t.merchant_id = :m', { m: caller.merchantId });
    if (q.kind) qb.andWhere('t.kind = :k', { k: q.kind });
    if (q.status) qb.andWhere('t.status = :s', { s: q.status });
    if (q.shopId) qb.andWhere('t.shop_id = :shop', { shop: q.shopId });
    if (q.subjectId) qb.andWhere('t.subject_id = :subj', { subj: q.subjectId });
    return mapPage(await paginate(qb, 't', q), toTaskResponse);
  }
}
