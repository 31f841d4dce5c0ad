import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '../kernel/auth/roles.js';
import { CalendarService } from '../kernel/calendar/calendar.service.js';
import { NotFound } from '../kernel/errors/domain-errors.js';
import { MachineRegistry } from '../kernel/state-machine/machine-registry.js';
import { FINANCE_BATCH_TIMES, nextFinanceBatch } from '../orders/finance-batch.js';
import { ReportScopeService } from '../reports/report-scope.js';
import type { WorklistDto, WorklistItemDto, WorklistQueryDto, WorklistSectionDto } from './dto/worklist.dto.js';
import { resolveWorklistDay, type WorklistDay } from './worklist-day.js';
import { DUE_SOON_HOURS, SHIP_WITHIN_HOURS, WORKLIST_ITEM_LIMIT, WORKLIST_SECTIONS } from './worklist-sections.js';
import { itemTitle } from './worklist-titles.js';
import { SECTION_SQL, type SectionRow } from './worklist.sql.js';

/**
 * The day's worklist (SPEC §11): every section of the seed's routine [002 售后日工作流程], read in
 * one read-only snapshot with one statement per section — a fixed number of queries whatever the
 * number of cases.
 */
@Injectable()
export class WorklistService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scopes: ReportScopeService,
    private readonly calendars: CalendarService,
    private readonly machines: MachineRegistry,
  ) {}

  async build(caller: Caller, q: WorklistQueryDto, now = new Date()): Promise<WorklistDto> {
    // The shop (404 when not the caller's) and the zone its dates are read in, by the reports' rule:
    // the shop's timezone, else the merchant's. The period asked for here is only the instant `now`.
    const scope = await this.scopes.resolve(caller, { from: now.toISOString(), to: new Date(now.getTime() + 1).toISOString(), shopId: q.shopId });
    if (q.assigneeId) await this.throwIfNotStaff(caller.merchantId, q.assigneeId);
    const day = resolveWorklistDay(q.date, scope.timezone, now);
    const params = [caller.merchantId, scope.shopId, q.assigneeId ?? null, now, day.from, day.to, WORKLIST_ITEM_LIMIT, SHIP_WITHIN_HOURS, DUE_SOON_HOURS];

    const rows = await this.db.transaction('REPEATABLE READ', async (m) => {
      await m.query('SET TRANSACTION READ ONLY');
      const out: SectionRow[][] = [];
      for (const s of WORKLIST_SECTIONS) out.push(await m.query(SECTION_SQL[s.key], params));
      return out;
    });
    const nextBatchAt = await this.nextBatch(caller.merchantId, day, now);

    const sections: WorklistSectionDto[] = WORKLIST_SECTIONS.map((s, i) => ({
      key: s.key,
      step: i + 1,
      title: s.title,
      titleEn: s.titleEn,
      count: rows[i][0]?.total ?? 0,
      nextBatchAt: s.key === 'finance_confirmation' ? (nextBatchAt?.toISOString() ?? null) : null,
      items: rows[i].map((r) => this.item(r, now)),
    }));
    return { date: day.date, timezone: day.timezone, generatedAt: now.toISOString(), shopId: scope.shopId, assigneeId: q.assigneeId ?? null, sections };
  }

  /**
   * [002 三/七/十] the next finance batch (12:00 / 16:00 shop time, working days of the business
   * calendar) from the start of the day, or from now when the day has begun.
   */
  private async nextBatch(merchantId: string, day: WorklistDay, now: Date): Promise<Date | null> {
    const cal = await this.calendars.forMerchant(merchantId, day.timezone);
    const from = now > day.from ? now : new Date(day.from.getTime() - 1);
    try {
      return nextFinanceBatch(from, day.timezone, FINANCE_BATCH_TIMES, (d) => cal.isWorkingDay(d));
    } catch {
      // Its only failure left: a calendar without a working day for two years has no next batch.
      return null;
    }
  }

  private item(r: SectionRow, now: Date): WorklistItemDto {
    const dueAt = r.due_at ? new Date(r.due_at) : null;
    return {
      module: r.module,
      collection: this.machines.get(r.module)?.collection ?? r.module,
      id: r.id,
      shopId: r.shop_id,
      orderId: r.order_id,
      orderNo: r.order_no,
      status: r.status,
      assigneeId: r.assignee_id,
      openedAt: new Date(r.opened_at).toISOString(),
      dueAt: dueAt?.toISOString() ?? null,
      overdue: dueAt !== null && dueAt < now,
      title: itemTitle({
        module: r.module, status: r.status, kind: r.kind, extra: r.extra,
        amount: r.amount === null ? null : Number(r.amount), currency: r.currency, orderNo: r.order_no,
      }),
    };
  }

  private async throwIfNotStaff(merchantId: string, staffId: string): Promise<void> {
    const found: unknown[] = await this.db.query('SELECT 1 FROM staff WHERE id = $1 AND merchant_id = $2', [staffId, merchantId]);
    if (!found.length) throw new NotFound('staff member', staffId);
  }
}
