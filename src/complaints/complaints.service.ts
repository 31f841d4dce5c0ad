import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { EventsService } from '../events/events.service.js';
import { EventType } from '../events/event-types.js';
import { type Caller, Role } from '../kernel/auth/roles.js';
import type { AssignCaseDto, CaseActionDto, NoteCaseDto } from '../kernel/cases/case-action.dto.js';
import { CalendarService } from '../kernel/calendar/calendar.service.js';
import { InvalidInput, NotFound, RuleViolation } from '../kernel/errors/domain-errors.js';
import { mapPage, type Page } from '../kernel/pagination/pagination.js';
import { allowedActions, type CaseRow } from '../kernel/state-machine/machine.js';
import { MachineRegistry } from '../kernel/state-machine/machine-registry.js';
import { isUuid, StateMachineEngine } from '../kernel/state-machine/state-machine.engine.js';
import { toTimelineEntryDto } from '../kernel/timeline/timeline.dto.js';
import { TimelineService } from '../kernel/timeline/timeline.service.js';
import { resolveOrderRef } from '../orders/order-ref.js';
import { phoneRegion, toE164 } from '../orders/phone.js';
import type { FollowUpResult } from '../follow-ups/follow-up-status.js';
import { useCalendarService } from './calendar-dues.js';
import { COMPLAINT_GUARDS, complaintMachine } from './complaint.machine.js';
import { toComplaintResponse } from './complaint.mapper.js';
import {
  type ComplaintCategory, type ComplaintChannel, ComplaintSeverity, ComplaintStatus, FIRST_RESPONSE_BUSINESS_HOURS,
} from './complaint-status.js';
import { ComplaintsRepository, type ComplaintRow } from './complaints.repository.js';
import type { CreateComplaintDto } from './dto/create-complaint.dto.js';
import type { ComplaintDetailDto, ComplaintResponseDto, ListComplaintsQueryDto } from './dto/complaint-response.dto.js';

/** A complaint to register, from staff or from an unsatisfied follow-up. */
export interface NewComplaint {
  shopId: string;
  orderId: string | null;
  complainantName: string;
  complainantPhone: string | null;
  channel: ComplaintChannel;
  category: ComplaintCategory;
  severity: ComplaintSeverity;
  content: string;
  reportedAt: Date;
  assigneeId: string | null;
  /** The case whose follow-up was unsatisfied, and that follow-up. */
  source?: { module: string; caseId: string; followUpId: string | null };
}

/** A registration time more than this ahead of the server clock is a mistake, not clock skew. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** Complaints (SPEC §10): registration (投诉受理), the six-step machine, and the serious-complaint alert. */
@Injectable()
export class ComplaintsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: ComplaintsRepository,
    private readonly engine: StateMachineEngine,
    private readonly registry: MachineRegistry,
    private readonly timeline: TimelineService,
    private readonly calendars: CalendarService,
    private readonly events: EventsService,
  ) {}

  onModuleInit(): void {
    useCalendarService(this.calendars);
    this.registry.register(complaintMachine, {
      guards: COMPLAINT_GUARDS,
      effects: { announceSerious: async (ctx, row) => void (await this.announceSerious(ctx.manager, row as unknown as ComplaintRow, ctx.now)) },
    });
  }

  async create(caller: Caller, dto: CreateComplaintDto): Promise<ComplaintDetailDto> {
    const reportedAt = dto.reportedAt ? new Date(dto.reportedAt) : new Date();
    if (reportedAt.getTime() > Date.now() + FUTURE_TOLERANCE_MS) {
      throw new InvalidInput('Validation failed', [{ field: 'reportedAt', errors: ['reportedAt must not be in the future'] }]);
    }
    const id = await this.db.transaction(async (m) => {
      let shopId = dto.shopId ?? null;
      let orderId: string | null = null;
      if (dto.orderId !== undefined) {
        const order = await this.repo.orderOf(m, caller.merchantId, await resolveOrderRef(m, caller.merchantId, dto.orderId));
        if (!order) throw new NotFound('order', dto.orderId);
        if (shopId && shopId !== order.shop_id) throw new RuleViolation(`order ${order.order_number} belongs to shop ${order.shop_id}, not to shop ${shopId}`);
        shopId = order.shop_id;
        orderId = order.id;
      }
      if (!shopId) throw new InvalidInput('Validation failed', [{ field: 'shopId', errors: ['shopId is required when no orderId is given'] }]);
      if (dto.assigneeId && !(await this.repo.staffExists(m, caller.merchantId, dto.assigneeId))) {
        throw new RuleViolation(`assignee ${dto.assigneeId} is not an active staff member of this merchant`);
      }
      const row = await this.open(m, caller, {
        shopId,
        orderId,
        complainantName: dto.complainantName,
        complainantPhone: dto.complainantPhone ?? null,
        channel: dto.channel,
        category: dto.category,
        severity: dto.severity ?? ComplaintSeverity.Normal,
        content: dto.content,
        reportedAt,
        assigneeId: dto.assigneeId ?? (caller.role === Role.Agent ? (caller.staffId ?? null) : null),
      });
      return row.id;
    });
    return this.get(caller, id);
  }

  /**
   * Registers a complaint in the caller's transaction: the first response is due 12 business
   * hours after it was reported, on the shop's calendar with its holidays [002]; a serious one
   * goes to the supervisors' endpoints at once [000].
   */
  async open(m: EntityManager, caller: Caller, c: NewComplaint): Promise<ComplaintRow> {
    const shop = await this.repo.shopOf(m, caller.merchantId, c.shopId);
    if (!shop) throw new NotFound('shop', c.shopId);
    const cal = await this.calendars.forShop({ merchantId: caller.merchantId, timezone: shop.timezone }, m);
    const { row } = await this.engine.create(
      complaintMachine,
      caller,
      {
        shop_id: shop.id,
        order_id: c.orderId,
        reported_at: c.reportedAt,
        complainant_name: c.complainantName,
        complainant_phone: c.complainantPhone,
        complainant_phone_e164: toE164(c.complainantPhone, phoneRegion(null, shop.timezone)),
        channel: c.channel,
        category: c.category,
        severity: c.severity,
        content: c.content,
        source_module: c.source?.module ?? null,
        source_case_id: c.source?.caseId ?? null,
        follow_up_id: c.source?.followUpId ?? null,
        currency: shop.currency.trim(),
        assignee_id: c.assigneeId,
        created_by: caller.staffId ?? null,
      },
      {
        status: ComplaintStatus.Received,
        manager: m,
        dueFrom: c.reportedAt,
        dueAt: cal.addBusinessHours(c.reportedAt, FIRST_RESPONSE_BUSINESS_HOURS),
        data: { channel: c.channel, category: c.category, severity: c.severity, ...(c.source ? { source: c.source } : {}) },
      },
    );
    const complaint = row as unknown as ComplaintRow;
    if (complaint.severity === ComplaintSeverity.Serious) await this.announceSerious(m, complaint, new Date());
    return complaint;
  }

  /** Fires one action of the complaint machine. */
  async act(caller: Caller, id: string, action: string, dto: CaseActionDto): Promise<ComplaintDetailDto> {
    await this.engine.fire(complaintMachine, id, action, caller, { input: dto, expectedVersion: dto.expectedVersion, note: dto.note ?? null });
    return this.get(caller, id);
  }

  assign(caller: Caller, id: string, dto: AssignCaseDto): Promise<ComplaintDetailDto> {
    return this.act(caller, id, 'assign', dto);
  }

  note(caller: Caller, id: string, dto: NoteCaseDto): Promise<ComplaintDetailDto> {
    return this.act(caller, id, 'note', dto);
  }

  /** The complaint's status, in the caller's transaction (null when there is none). */
  statusOf(m: EntityManager, id: string): Promise<ComplaintStatus | null> {
    return this.repo.statusOf(m, id);
  }

  /** The complaint's own follow-up step, fired by a follow-up task recorded for it. */
  async recordFollowUp(m: EntityManager, caller: Caller, id: string, result: { result: FollowUpResult; comment?: string }, followUpId: string): Promise<void> {
    await this.engine.fire(complaintMachine, id, 'follow-up', caller, {
      manager: m,
      input: { result: result.result, ...(result.comment !== undefined ? { comment: result.comment } : {}) },
      data: { followUpId },
    });
  }

  /** Who complained, for a complaint opened from a follow-up of this one. */
  async contactOf(m: EntityManager, id: string): Promise<{ name: string; phone: string | null; category: ComplaintCategory } | null> {
    const rows: Array<{ complainant_name: string; complainant_phone: string | null; category: ComplaintCategory }> = await m.query(
      'SELECT complainant_name, complainant_phone, category FROM complaints WHERE id = $1',
      [id],
    );
    return rows[0] ? { name: rows[0].complainant_name, phone: rows[0].complainant_phone, category: rows[0].category } : null;
  }

  async get(caller: Caller, id: string): Promise<ComplaintDetailDto> {
    const row = isUuid(id) ? await this.repo.findForMerchant(this.db.manager, caller.merchantId, id) : null;
    if (!row) throw new NotFound('complaint', id);
    const timeline = await this.timeline.listFor(caller.merchantId, complaintMachine.name, id);
    return {
      ...toComplaintResponse(row),
      timeline: timeline.map(toTimelineEntryDto),
      allowedActions: allowedActions(complaintMachine, row as unknown as CaseRow, caller),
    };
  }

  async list(caller: Caller, q: ListComplaintsQueryDto): Promise<Page<ComplaintResponseDto>> {
    return mapPage(await this.repo.page(caller.merchantId, q), toComplaintResponse);
  }

  /** [000] 视情节轻重及时上报: an outbound event to the merchant's endpoints, in the transaction that made it serious. */
  private async announceSerious(m: EntityManager, c: ComplaintRow, at: Date): Promise<void> {
    await this.events.publish(
      m,
      c.merchant_id,
      EventType.ComplaintSerious,
      {
        id: c.id,
        collection: complaintMachine.collection,
        shopId: c.shop_id,
        orderId: c.order_id,
        status: c.status,
        severity: c.severity,
        category: c.category,
        channel: c.channel,
        complainantName: c.complainant_name,
        content: c.content,
        reportedAt: c.reported_at,
        dueAt: c.due_at,
        source: c.source_module ? { module: c.source_module, caseId: c.source_case_id } : null,
      },
      at,
    );
  }
}
