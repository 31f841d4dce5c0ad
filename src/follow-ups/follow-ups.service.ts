import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { COMPLAINT_MACHINE } from '../complaints/complaint.machine.js';
import { ComplaintChannel, ComplaintSeverity, ComplaintStatus } from '../complaints/complaint-status.js';
import { ComplaintsService } from '../complaints/complaints.service.js';
import { type Caller, Role, systemCaller } from '../kernel/auth/roles.js';
import type { AssignCaseDto, CaseActionDto } from '../kernel/cases/case-action.dto.js';
import { CalendarService } from '../kernel/calendar/calendar.service.js';
import { NotFound } from '../kernel/errors/domain-errors.js';
import { mapPage, type Page } from '../kernel/pagination/pagination.js';
import { allowedActions, type CaseRow, type Effect, type MachineDefinition } from '../kernel/state-machine/machine.js';
import { MachineRegistry } from '../kernel/state-machine/machine-registry.js';
import { isUuid, StateMachineEngine, type TransitionNotice } from '../kernel/state-machine/state-machine.engine.js';
import { toTimelineEntryDto } from '../kernel/timeline/timeline.dto.js';
import { TimelineService } from '../kernel/timeline/timeline.service.js';
import { withSavepoint } from '../kernel/db/savepoint.js';
import type { FollowUpDetailDto, FollowUpResponseDto, ListFollowUpsQueryDto, RecordFollowUpDto } from './dto/follow-up.dto.js';
import { complaintCategoryFor, isResolution, whyNoFollowUp } from './follow-up-policy.js';
import { FOLLOW_UP_GUARDS, followUpMachine } from './follow-up.machine.js';
import { toFollowUpResponse } from './follow-up.mapper.js';
import { FOLLOW_UP_WITHIN_DAYS, FollowUpResult, FollowUpStatus } from './follow-up-status.js';
import { FollowUpsRepository, type FollowUpRow } from './follow-ups.repository.js';

/**
 * Follow-up calls (SPEC §10): the engine tells every transition of every machine; a case entering
 * a `resolved` state gets one follow-up, in the same transaction, without its module knowing.
 * The recorded result is kept for the satisfaction reports; unsatisfied opens a complaint.
 */
@Injectable()
export class FollowUpsService implements OnModuleInit {
  private readonly logger = new Logger('FollowUps');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: FollowUpsRepository,
    private readonly engine: StateMachineEngine,
    private readonly registry: MachineRegistry,
    private readonly timeline: TimelineService,
    private readonly calendars: CalendarService,
    private readonly complaints: ComplaintsService,
  ) {}

  onModuleInit(): void {
    this.registry.register(followUpMachine, { guards: FOLLOW_UP_GUARDS, effects: { applyResult: this.applyResult } });
    this.engine.onTransition((n) => this.onTransition(n));
  }

  private async onTransition(n: TransitionNotice): Promise<void> {
    if (n.change !== 'created' && n.change !== 'status') return;
    if (n.machine.name === COMPLAINT_MACHINE && n.action === 'follow-up') await this.recordFromComplaint(n);
    if (!isResolution(n.machine, n.from, n.to)) return;
    const skip = whyNoFollowUp(n.machine, n.row);
    if (skip) return;
    // A follow-up that cannot be written must not undo the resolution it follows (a refund that
    // succeeded stays succeeded); the error is logged and the case's resolved_at in the index
    // still shows it was resolved.
    await withSavepoint(n.manager, 'follow_up', () => this.ensureFor(n.manager, n.machine, n.row, n.at), (err) => {
      this.logger.error(`no follow-up for ${n.machine.name} ${n.row.id}: ${err instanceof Error ? err.message : String(err)}`);
      return true;
    });
  }

  /**
   * The follow-up of a case's resolution, created unless it exists: an open follow-up of the case,
   * or one written at this version or later, means this resolution has its call already. A case
   * reopened and resolved again (a complaint whose follow-up went badly) gets the next round.
   */
  async ensureFor(m: EntityManager, machine: MachineDefinition, row: CaseRow, at: Date): Promise<string | null> {
    const latest = await this.repo.latestFor(m, machine.name, row.id);
    if (latest && (latest.status === FollowUpStatus.Open || latest.source_version >= row.version)) return null;
    if (!row.shop_id) return null;
    const timezone = await this.repo.shopTimezone(m, row.shop_id);
    if (!timezone) return null;
    const cal = await this.calendars.forMerchant(row.merchant_id, timezone, m);
    const { row: created } = await this.engine.create(
      followUpMachine,
      systemCaller(row.merchant_id),
      {
        shop_id: row.shop_id,
        order_id: (row.order_id as string | null | undefined) ?? null,
        // Whoever handled the case calls back unless a supervisor hands the call to someone else.
        assignee_id: (row.assignee_id as string | null | undefined) ?? null,
        source_module: machine.name,
        source_case_id: row.id,
        source_collection: machine.collection,
        round: (latest?.round ?? 0) + 1,
        source_version: row.version,
        resolved_at: at,
      },
      {
        status: FollowUpStatus.Open,
        manager: m,
        now: at,
        // [000] 必须保证在三天之内回访; 避免在客户休息时打扰客户.
        dueAt: cal.withinDaysCallable(at, FOLLOW_UP_WITHIN_DAYS),
        data: { source: { module: machine.name, caseId: row.id, status: row.status } },
      },
    );
    return created.id;
  }

  /** The complaint's own follow-up step was fired on the complaint: its open follow-up is recorded with the same result. */
  private async recordFromComplaint(n: TransitionNotice): Promise<void> {
    const latest = await this.repo.latestFor(n.manager, COMPLAINT_MACHINE, n.row.id);
    if (!latest || latest.status !== FollowUpStatus.Open) return;
    const comment = n.row.follow_up_comment as string | null;
    await this.engine.fire(followUpMachine, latest.id, 'record-from-case', n.caller, {
      manager: n.manager,
      internal: true,
      now: n.at,
      input: { result: n.row.follow_up_result as FollowUpResult, ...(comment !== null ? { comment } : {}) },
    });
  }

  /**
   * `record`'s effect: for a complaint still awaiting its follow-up, the complaint's own step
   * (unsatisfied reopens it); for any other case an unsatisfied result opens a complaint linked
   * to the case and its order [000 挽回不满意顾客].
   */
  private readonly applyResult: Effect = async (ctx, updated) => {
    const f = updated as unknown as FollowUpRow;
    const input = ctx.input as RecordFollowUpDto;
    if (f.source_module === COMPLAINT_MACHINE && (await this.complaints.statusOf(ctx.manager, f.source_case_id)) === ComplaintStatus.AwaitingFollowUp) {
      await this.complaints.recordFollowUp(ctx.manager, ctx.caller, f.source_case_id, input, f.id);
      return;
    }
    if (input.result !== FollowUpResult.Unsatisfied) return;
    const contact = await this.contactFor(ctx.manager, f);
    const complaint = await this.complaints.open(ctx.manager, ctx.caller, {
      shopId: f.shop_id,
      orderId: f.order_id,
      complainantName: contact.name,
      complainantPhone: contact.phone,
      channel: ComplaintChannel.Phone,
      category: contact.category,
      severity: ComplaintSeverity.Normal,
      content: input.comment?.trim() || `Unsatisfied at the follow-up call of ${f.source_module} ${f.source_case_id}`,
      reportedAt: ctx.now,
      assigneeId: ctx.caller.role === Role.Agent ? (ctx.caller.staffId ?? null) : (f.assignee_id ?? null),
      source: { module: f.source_module, caseId: f.source_case_id, followUpId: f.id },
    });
    return { complaint_id: complaint.id };
  };

  /** Who to register as complaining: the complainant of a complaint followed, else the order's customer. */
  private async contactFor(m: EntityManager, f: FollowUpRow): Promise<{ name: string; phone: string | null; category: ReturnType<typeof complaintCategoryFor> }> {
    if (f.source_module === COMPLAINT_MACHINE) {
      const c = await this.complaints.contactOf(m, f.source_case_id);
      if (c) return c;
    }
    const customer = f.order_id ? await this.repo.customerOfOrder(m, f.order_id) : null;
    return { name: customer?.name?.trim() || 'customer (from a follow-up call)', phone: customer?.phone ?? null, category: complaintCategoryFor(f.source_module) };
  }

  async act(caller: Caller, id: string, action: string, dto: CaseActionDto): Promise<FollowUpDetailDto> {
    await this.engine.fire(followUpMachine, id, action, caller, { input: dto, expectedVersion: dto.expectedVersion, note: dto.note ?? null });
    return this.get(caller, id);
  }

  assign(caller: Caller, id: string, dto: AssignCaseDto): Promise<FollowUpDetailDto> {
    return this.act(caller, id, 'assign', dto);
  }

  async get(caller: Caller, id: string): Promise<FollowUpDetailDto> {
    const row = isUuid(id) ? await this.repo.findForMerchant(this.db.manager, caller.merchantId, id) : null;
    if (!row) throw new NotFound('follow-up', id);
    const timeline = await this.timeline.listFor(caller.merchantId, followUpMachine.name, id);
    return {
      ...toFollowUpResponse(row),
      timeline: timeline.map(toTimelineEntryDto),
      allowedActions: allowedActions(followUpMachine, row as unknown as CaseRow, caller),
    };
  }

  async list(caller: Caller, q: ListFollowUpsQueryDto): Promise<Page<FollowUpResponseDto>> {
    return mapPage(await this.repo.page(caller.merchantId, q), (r) => toFollowUpResponse(r));
  }
}
