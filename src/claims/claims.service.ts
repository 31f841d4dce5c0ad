import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import { DataSource, EntityManager } from 'typeorm';
import { AttachmentsService } from '../kernel/attachments/attachments.service.js';
import { toAttachmentResponse } from '../kernel/attachments/dto/attachment.dto.js';
import { type Caller, Role, systemCaller } from '../kernel/auth/roles.js';
import { CalendarService } from '../kernel/calendar/calendar.service.js';
import type { AssignCaseDto, CaseActionDto, NoteCaseDto } from '../kernel/cases/case-action.dto.js';
import { Conflict, InvalidInput, NotAllowed, NotFound } from '../kernel/errors/domain-errors.js';
import { mapPage, type Page } from '../kernel/pagination/pagination.js';
import { actorMayFire, allowedActions, type CaseRow } from '../kernel/state-machine/machine.js';
import { MachineRegistry } from '../kernel/state-machine/machine-registry.js';
import { isUuid, StateMachineEngine, type TransitionNotice } from '../kernel/state-machine/state-machine.engine.js';
import { toTimelineEntryDto } from '../kernel/timeline/timeline.dto.js';
import { TimelineService } from '../kernel/timeline/timeline.service.js';
import { orderMachine } from '../orders/order.machine.js';
import { resolveOrderRef } from '../orders/order-ref.js';
import { OrderStatus } from '../orders/order-status.js';
import { toRefundResponse } from '../refunds/refund.mapper.js';
import { RefundRepository, type RefundRow } from '../refunds/refund.repository.js';
import { RefundSourceRegistry } from '../refunds/refund-sources.js';
import { RefundSourceType } from '../refunds/refund-status.js';
import { useClaimCalendar } from './claim-deadline.js';
import { resolveClaimLines } from './claim-lines.js';
import { ClaimEffects } from './claim.effects.js';
import { CLAIM_GUARDS, isActiveStaff, throwIfFaultNotApplicable, throwIfNotStaff } from './claim.guards.js';
import { claimMachine } from './claim.machine.js';
import { toClaimResponse, toSuspectedReuse } from './claim.mapper.js';
import { CLAIM_EVIDENCE_KINDS } from './claim.rules.js';
import { ClaimStatus } from './claim-status.js';
import { ClaimsRepository, type ClaimRow } from './claims.repository.js';
import type { CreateClaimDto } from './dto/create-claim.dto.js';
import type { ClaimDetailDto, ClaimEvidenceResponseDto, ClaimResponseDto, ListClaimsQueryDto } from './dto/claim-response.dto.js';

/** A reportedAt this far ahead of the server's clock is a mistake, not clock skew. */
const FUTURE_SLACK_MS = 5 * 60_000;

/** Claims (SPEC §8): registration, evidence, the machine's actions, and what refunds and later orders tell them. */
@Injectable()
export class ClaimsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: ClaimsRepository,
    private readonly engine: StateMachineEngine,
    private readonly registry: MachineRegistry,
    private readonly timeline: TimelineService,
    private readonly attachments: AttachmentsService,
    private readonly calendars: CalendarService,
    private readonly refunds: RefundRepository,
    private readonly sources: RefundSourceRegistry,
    private readonly effects: ClaimEffects,
  ) {}

  onModuleInit(): void {
    this.registry.register(claimMachine, { guards: CLAIM_GUARDS, effects: this.effects.all() });
    useClaimCalendar((merchantId, timezone, m) => this.calendars.forMerchant(merchantId, timezone, m));
    this.sources.register(RefundSourceType.Claim, {
      onSucceeded: (m, refund) => this.onRefund(m, refund, 'refund-succeeded'),
      onFailed: (m, refund) => this.onRefund(m, refund, 'refund-failed'),
    });
    this.engine.onTransition((n) => this.giveGiftsOnShipping(n));
  }

  /** 事务登记 [002]: the claim, its waybill and affected lines; due 16:00 of the day reported. */
  async create(caller: Caller, dto: CreateClaimDto): Promise<ClaimDetailDto> {
    const reportedAt = dto.reportedAt ? new Date(dto.reportedAt) : new Date();
    if (reportedAt.getTime() > Date.now() + FUTURE_SLACK_MS) {
      throw new InvalidInput('Validation failed', [{ field: 'reportedAt', errors: ['reportedAt must not be in the future'] }]);
    }
    throwIfFaultNotApplicable(dto.type, dto.responsibility, dto.responsibleStaffId);
    const id = await this.db.transaction(async (m) => {
      const order = await this.repo.orderForClaim(m, caller.merchantId, await resolveOrderRef(m, caller.merchantId, dto.orderId));
      if (!order) throw new NotFound('order', dto.orderId);
      const lines = await resolveClaimLines(m, order, dto.lines);
      await throwIfNotStaff(m, caller.merchantId, dto.responsibleStaffId);
      if (dto.assigneeId && !(await isActiveStaff(m, caller.merchantId, dto.assigneeId))) {
        throw new InvalidInput('Validation failed', [{ field: 'assigneeId', errors: [`assignee ${dto.assigneeId} is not an active staff member`] }]);
      }
      const parcel = dto.trackingNo ? null : await this.repo.latestShipmentOf(m, order.id);
      const { row } = await this.engine.create(
        claimMachine,
        caller,
        {
          shop_id: order.shop_id,
          order_id: order.id,
          type: dto.type,
          currency: order.currency.trim(),
          tracking_no: dto.trackingNo ?? parcel?.tracking_no ?? null,
          carrier: dto.carrier ?? parcel?.carrier ?? null,
          description: dto.description ?? null,
          reported_at: reportedAt,
          responsibility: dto.responsibility ?? null,
          responsible_staff_id: dto.responsibleStaffId ?? null,
          assignee_id: dto.assigneeId ?? (caller.role === Role.Agent ? (caller.staffId ?? null) : null),
          created_by: caller.staffId ?? null,
        },
        { status: ClaimStatus.Reported, manager: m, dueFrom: reportedAt, note: dto.description ?? null, data: { type: dto.type } },
      );
      await this.repo.insertLines(m, caller.merchantId, row.id, lines);
      return row.id;
    });
    return this.get(caller, id);
  }

  /** Fires one action of the claim machine. */
  async act(caller: Caller, id: string, action: string, dto: CaseActionDto): Promise<ClaimDetailDto> {
    const { expectedVersion, note, ...input } = dto as CaseActionDto & Record<string, unknown>;
    await this.engine.fire(claimMachine, id, action, caller, { input, expectedVersion, note: note ?? null });
    return this.get(caller, id);
  }

  assign(caller: Caller, id: string, dto: AssignCaseDto): Promise<ClaimDetailDto> {
    return this.act(caller, id, 'assign', dto);
  }

  note(caller: Caller, id: string, dto: NoteCaseDto): Promise<ClaimDetailDto> {
    return this.act(caller, id, 'note', dto);
  }

  /**
   * Photos through the kernel's attachments (judged by content, 10 MB, 20 per claim). The upload
   * moves a reported or waiting claim to evidence_received (the 16:00 clock restarts); a photo
   * another claim of the merchant already holds flags this claim `suspectedReuseOf` that claim.
   */
  async addEvidence(caller: Caller, id: string, req: FastifyRequest): Promise<ClaimEvidenceResponseDto> {
    const row = await this.mustFind(this.db.manager, caller.merchantId, id);
    const action = row.status === ClaimStatus.EvidenceReceived ? 'add-evidence' : [ClaimStatus.Reported, ClaimStatus.AwaitingEvidence].includes(row.status) ? 'upload-evidence' : null;
    if (!action) {
      throw new Conflict(`Cannot add evidence to a claim in status ${row.status}; photos are taken while reported, awaiting_evidence or evidence_received`, { status: row.status });
    }
    if (!actorMayFire(claimMachine.actions[action], caller)) throw new NotAllowed(`role ${caller.role ?? caller.type} may not add evidence to a claim`);
    const saved = await this.attachments.saveFromMultipart(req, {
      merchantId: caller.merchantId, caseModule: claimMachine.name, caseId: id, uploadedBy: caller.staffId ?? null, kinds: CLAIM_EVIDENCE_KINDS,
    });
    const reuse = toSuspectedReuse(saved.reuse, claimMachine.name);
    await this.engine.fire(claimMachine, id, action, caller, {
      internal: true,
      input: { suspectedReuseOf: reuse[0]?.claimId ?? null },
      data: { attachmentIds: saved.attachments.map((a) => a.id), ...(reuse.length ? { suspectedReuse: reuse.map((r) => r.claimId) } : {}) },
    });
    return { attachments: saved.attachments.map(toAttachmentResponse), suspectedReuse: reuse, claim: await this.get(caller, id) };
  }

  async get(caller: Caller, id: string): Promise<ClaimDetailDto> {
    const row = await this.mustFind(this.db.manager, caller.merchantId, id);
    const [lines, timeline, evidence, refunds, auditErrors, corrections, gift] = await Promise.all([
      this.repo.linesOf([id]),
      this.timeline.listFor(caller.merchantId, claimMachine.name, id),
      this.attachments.listForCase(caller.merchantId, claimMachine.name, id),
      this.refunds.listBySource(caller.merchantId, RefundSourceType.Claim, id),
      this.repo.auditErrorsOf(id),
      this.repo.inventoryCorrectionsOf(id),
      this.repo.giftOf(id),
    ]);
    const reuse = evidence.length ? await this.attachments.findReuse(caller.merchantId, evidence, { caseModule: claimMachine.name, caseId: id }) : [];
    return {
      ...toClaimResponse(row, lines.get(id) ?? []),
      timeline: timeline.map(toTimelineEntryDto),
      allowedActions: allowedActions(claimMachine, row as unknown as CaseRow, caller),
      evidence: evidence.map(toAttachmentResponse),
      suspectedReuse: toSuspectedReuse(reuse, claimMachine.name),
      refunds: refunds.map(toRefundResponse),
      auditErrors: auditErrors.map((e) => ({ id: e.id, staffId: e.staff_id, responsibility: e.responsibility, severity: e.severity, kind: e.kind, at: e.at })),
      inventoryCorrections: corrections.map((c) => ({ id: c.id, sku: c.sku, quantity: c.quantity, direction: c.direction, at: c.at })),
      gift: gift && { status: gift.status, giftCost: Number(gift.gift_cost), note: gift.note, givenOrderId: gift.given_order_id, givenAt: gift.given_at },
    };
  }

  async list(caller: Caller, q: ListClaimsQueryDto): Promise<Page<ClaimResponseDto>> {
    const page = await this.repo.page(caller.merchantId, q);
    const lines = await this.repo.linesOf(page.items.map((r) => r.id));
    return mapPage(page, (r) => toClaimResponse(r, lines.get(r.id) ?? []));
  }

  /** A refund of a claim became final: its amount adds to the cost when it succeeded; the timeline says either way. */
  private async onRefund(m: EntityManager, refund: RefundRow, action: 'refund-succeeded' | 'refund-failed'): Promise<void> {
    if (!refund.source_id || !(await this.repo.statusOf(m, refund.source_id))) return;
    await this.engine.fire(claimMachine, refund.source_id, action, systemCaller(refund.merchant_id), {
      manager: m,
      internal: true,
      input: { amount: Number(refund.amount) },
      note: action === 'refund-failed' ? refund.failure_reason : null,
      data: { refundId: refund.id },
    });
  }

  /** [002 下次以赠品补偿] the customer's next order shipped: the promised gifts went with it and now cost the claim. */
  private async giveGiftsOnShipping(n: TransitionNotice): Promise<void> {
    if (n.machine.name !== orderMachine.name || n.change !== 'status' || n.to !== OrderStatus.Shipped) return;
    const phone = n.row.customer_phone_e164 as string | null;
    // A reship replaces goods; the gift is promised on the customer's next purchase.
    if (!phone || n.row.reship_of) return;
    const given = await this.repo.giveGiftsWith(n.manager, { id: n.row.id, merchant_id: n.row.merchant_id, customer_phone_e164: phone }, n.at);
    for (const g of given) {
      await this.engine.fire(claimMachine, g.claim_id, 'gift-given', systemCaller(g.merchant_id), {
        manager: n.manager,
        internal: true,
        now: n.at,
        input: { amount: Number(g.gift_cost) },
        data: { giftId: g.id, orderId: n.row.id },
      });
    }
  }

  private async mustFind(m: EntityManager, merchantId: string, id: string): Promise<ClaimRow> {
    const row = isUuid(id) ? await this.repo.findForMerchant(m, merchantId, id) : null;
    if (!row) throw new NotFound('claim', id);
    return row;
  }
}
