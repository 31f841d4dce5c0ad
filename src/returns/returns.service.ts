import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { type Caller, Role, systemCaller } from '../kernel/auth/roles.js';
import { Conflict, InvalidInput, NotFound, RuleViolation } from '../kernel/errors/domain-errors.js';
import { formatMoney } from '../kernel/money/money.js';
import { mapPage, Page } from '../kernel/pagination/pagination.js';
import { allowedActions, type CaseRow, type Effect } from '../kernel/state-machine/machine.js';
import { MachineRegistry } from '../kernel/state-machine/machine-registry.js';
import { isUuid, StateMachineEngine } from '../kernel/state-machine/state-machine.engine.js';
import { TimelineService } from '../kernel/timeline/timeline.service.js';
import type { AssignCaseDto, CaseActionDto, NoteCaseDto } from '../kernel/cases/case-action.dto.js';
import { toTimelineEntryDto } from '../kernel/timeline/timeline.dto.js';
import { RefundLedgerService } from '../refunds/refund-ledger.service.js';
import { toRefundResponse } from '../refunds/refund.mapper.js';
import { type OrderForRefund, paidAmountOf, RefundRepository, type RefundRow } from '../refunds/refund.repository.js';
import { RefundSourceRegistry } from '../refunds/refund-sources.js';
import { RefundSourceType } from '../refunds/refund-status.js';
import { resolveOrderRef } from '../orders/order-ref.js';
import type { CreateReturnDto, ReturnSettingsDto, ReturnSettingsResponseDto } from './dto/create-return.dto.js';
import type { RefundReturnDto, ShipExchangeDto } from './dto/return-actions.dto.js';
import type { ListReturnsQueryDto, ReturnDetailDto, ReturnResponseDto } from './dto/return-response.dto.js';
import { toReturnResponse } from './return.mapper.js';
import { RETURN_GUARDS, returnMachine } from './return.machine.js';
import { returnSettings } from './return-settings.js';
import { SettingsService } from '../kernel/settings/settings.service.js';
import { ShipmentsService } from '../logistics/shipments.service.js';
import { receiptOf } from './return-receipt.js';
import { type AddressableLine, type ResolvedLine, resolveReturnLines } from './return-lines.js';
import { ReturnDecisionsService } from './return-decisions.service.js';
import { type ReturnReason, ReturnSource, ReturnStatus, ReturnType } from './return-status.js';
import { ReturnsRepository, type ReturnRow } from './returns.repository.js';

/** A return case to open (see ReturnsService.open). */
export interface OpenReturn {
  type: ReturnType;
  reason: ReturnReason;
  description: string | null;
  requestedAmount: number;
  lines: Array<ResolvedLine<AddressableLine>>;
  reportedAt: Date;
  assigneeId: string | null;
  /** The platform's return id: a platform-initiated case, answered through the platform. */
  platformReturnId?: string | null;
  /** The platform's deadline for the answer, instead of the state's rule. */
  dueAt?: Date;
  note?: string | null;
  data?: Record<string, unknown>;
}

/** Return cases: registration (退换货登记), the machine's actions, and the refund they write. */
@Injectable()
export class ReturnsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: ReturnsRepository,
    private readonly refunds: RefundRepository,
    private readonly ledger: RefundLedgerService,
    private readonly engine: StateMachineEngine,
    private readonly registry: MachineRegistry,
    private readonly timeline: TimelineService,
    private readonly sources: RefundSourceRegistry,
    private readonly decisions: ReturnDecisionsService,
    private readonly settings: SettingsService,
    private readonly shipments: ShipmentsService,
  ) {}

  onModuleInit(): void {
    this.registry.register(returnMachine, { guards: RETURN_GUARDS, effects: this.effects() });
    this.settings.register(returnSettings);
    this.sources.register(RefundSourceType.Return, {
      onSucceeded: (m, refund) => this.onRefundSucceeded(m, refund),
      onFailed: (m, refund) => this.onRefundFailed(m, refund),
    });
  }

  async create(caller: Caller, dto: CreateReturnDto): Promise<ReturnDetailDto> {
    const id = await this.db.transaction(async (m) => {
      const found = await this.repo.orderForReturn(m, caller.merchantId, await resolveOrderRef(m, caller.merchantId, dto.orderId));
      if (!found) throw new NotFound('order', dto.orderId);
      const { order, lines: orderLines } = found;
      const currency = order.currency.trim();
      const paid = paidAmountOf(order);
      if (paid <= 0) throw new RuleViolation(`order ${order.order_number} is not paid; there is nothing to return or refund`);

      const requested = dto.requestedAmount ?? 0;
      if (dto.type === ReturnType.Exchange) {
        if (requested !== 0) throw new InvalidInput('Validation failed', [{ field: 'requestedAmount', errors: ['an exchange refunds nothing: requestedAmount must be 0 or absent'] }]);
      } else if (requested <= 0) {
        throw new InvalidInput('Validation failed', [{ field: 'requestedAmount', errors: [`requestedAmount (minor units, > 0) is required for ${dto.type}`] }]);
      }
      if (dto.type !== ReturnType.RefundOnly && !dto.lines?.length) {
        throw new InvalidInput('Validation failed', [{ field: 'lines', errors: [`lines are required for ${dto.type}: which goods come back`] }]);
      }
      const lines = resolveReturnLines(
        orderLines,
        (dto.lines ?? []).map((l) => ({ ref: l.orderLineId, quantity: l.quantity, reason: l.reason ?? null })),
        dto.reason,
        `order ${order.order_number}`,
      );
      const committed = await this.refunds.sumCommittedForOrder(m, order.id);
      if (requested > paid - committed) {
        throw new RuleViolation(
          `the customer asks ${formatMoney(requested, currency)} back but only ${formatMoney(Math.max(paid - committed, 0), currency)} of order ${order.order_number} is left to refund`,
        );
      }
      if (dto.assigneeId && !(await this.repo.staffExists(m, caller.merchantId, dto.assigneeId))) {
        throw new RuleViolation(`assignee ${dto.assigneeId} is not an active staff member`);
      }
      return this.open(m, caller, order, {
        type: dto.type,
        reason: dto.reason,
        description: dto.description ?? null,
        requestedAmount: requested,
        lines,
        reportedAt: dto.reportedAt ? new Date(dto.reportedAt) : new Date(),
        assigneeId: dto.assigneeId ?? (caller.role === Role.Agent ? (caller.staffId ?? null) : null),
      });
    });
    return this.get(caller, id);
  }

  /**
   * Opens a return case on `order` with its resolved lines, in the caller's transaction: the one
   * insert path of staff registrations and platform requests (which bring their own deadline).
   */
  async open(m: EntityManager, caller: Caller, order: OrderForRefund, c: OpenReturn): Promise<string> {
    const { row } = await this.engine.create(
      returnMachine,
      caller,
      {
        shop_id: order.shop_id,
        order_id: order.id,
        type: c.type,
        reason: c.reason,
        description: c.description,
        currency: order.currency.trim(),
        requested_amount: c.requestedAmount,
        reported_at: c.reportedAt,
        assignee_id: c.assigneeId,
        created_by: caller.staffId ?? null,
        source: c.platformReturnId ? ReturnSource.Platform : ReturnSource.Staff,
        platform_return_id: c.platformReturnId ?? null,
      },
      {
        status: ReturnStatus.Requested,
        manager: m,
        dueFrom: c.reportedAt,
        ...(c.dueAt ? { dueAt: c.dueAt } : {}),
        note: c.note ?? null,
        data: { type: c.type, reason: c.reason, requestedAmount: c.requestedAmount, ...(c.data ?? {}) },
      },
    );
    await this.repo.insertLines(
      m,
      caller.merchantId,
      row.id,
      c.lines.map((l) => ({ orderLineId: l.line.id, quantity: l.quantity, reason: l.reason as ReturnReason, platformLineId: l.platformLineId, customerNote: l.note })),
    );
    return row.id;
  }

  /** Fires one action of the return machine (its effects write the refund, the exchange parcel). */
  async act(caller: Caller, id: string, action: string, dto: CaseActionDto): Promise<ReturnDetailDto> {
    await this.engine.fire(returnMachine, id, action, caller, { input: dto, expectedVersion: dto.expectedVersion, note: dto.note ?? null });
    return this.get(caller, id);
  }

  assign(caller: Caller, id: string, dto: AssignCaseDto): Promise<ReturnDetailDto> {
    return this.act(caller, id, 'assign', dto);
  }

  note(caller: Caller, id: string, dto: NoteCaseDto): Promise<ReturnDetailDto> {
    return this.act(caller, id, 'note', dto);
  }

  /** The side effects the return machine names. */
  private effects(): Record<string, Effect> {
    return {
      /** `receive` writes per line what came back (computed once by its guard). */
      recordReceipt: async (ctx, updated) => {
        await this.repo.recordReceipt(ctx.manager, updated.id, receiptOf(ctx).lines);
      },
      /** `approve` / `reject` of a platform's request: the answer goes back through the outbox. */
      queuePlatformDecision: (ctx, updated) => this.decisions.queue(ctx, updated),
      /** `refund` writes the refund in the ledger, in the transition's transaction (422 above what is left of the order). */
      writeRefund: async (ctx, updated) => {
        const row = updated as unknown as ReturnRow;
        const refund = ctx.input as RefundReturnDto;
        await this.ledger.create(ctx.manager, ctx.caller, {
          orderId: row.order_id,
          amount: refund.amount ?? Number(row.approved_amount ?? 0),
          sourceType: RefundSourceType.Return,
          sourceId: row.id,
          reason: `${row.type}: ${row.reason}`,
          manual: refund.manual,
          // The refund rate counts it against the agent working the case.
          agentId: row.assignee_id ?? row.approved_by ?? ctx.caller.staffId ?? null,
        });
      },
      /** `ship-exchange` registers the replacement parcel and records it on the case. */
      registerExchangeShipment: async (ctx, updated) => {
        const s = ctx.input as ShipExchangeDto;
        const shipmentId = await this.shipments.addForCase(ctx.manager, {
          merchantId: updated.merchant_id, shopId: updated.shop_id as string, orderId: updated.order_id as string, carrier: s.carrier, trackingNo: s.trackingNo,
        });
        if (!shipmentId) throw new Conflict(`tracking number ${s.trackingNo} of ${s.carrier} is already registered as a shipment`);
        return { exchange_shipment_id: shipmentId };
      },
    };
  }

  async get(caller: Caller, id: string): Promise<ReturnDetailDto> {
    const row = await this.mustFind(this.db.manager, caller.merchantId, id);
    const [lines, timeline, refunds] = await Promise.all([
      this.repo.linesOf([id]),
      this.timeline.listFor(caller.merchantId, returnMachine.name, id),
      this.refunds.listBySource(caller.merchantId, RefundSourceType.Return, id),
    ]);
    return {
      ...toReturnResponse(row, lines.get(id) ?? []),
      timeline: timeline.map(toTimelineEntryDto),
      allowedActions: allowedActions(returnMachine, row as unknown as CaseRow, caller),
      refunds: refunds.map(toRefundResponse),
    };
  }

  async list(caller: Caller, q: ListReturnsQueryDto): Promise<Page<ReturnResponseDto>> {
    const page = await this.repo.page(caller.merchantId, q);
    const lines = await this.repo.linesOf(page.items.map((r) => r.id));
    return mapPage(page, (r) => toReturnResponse(r, lines.get(r.id) ?? []));
  }

  /** PUT /api/v1/settings/returns, the older route: the registry's section `returns`. */
  async putSettings(caller: Caller, dto: ReturnSettingsDto): Promise<ReturnSettingsResponseDto> {
    return this.settings.update(caller, returnSettings, { agentApprovalLimit: dto.agentApprovalLimit });
  }

  /** (refund result) refunding → refunded, in the transaction that settles the refund. */
  private async onRefundSucceeded(m: EntityManager, refund: RefundRow): Promise<void> {
    if (!refund.source_id || (await this.repo.statusOf(m, refund.source_id)) !== ReturnStatus.Refunding) return;
    await this.engine.fire(returnMachine, refund.source_id, 'refund-succeeded', systemCaller(refund.merchant_id), {
      manager: m,
      input: { refundId: refund.id, amount: Number(refund.amount) },
    });
  }

  /** The case stays `refunding` (a retry is a new refund); its timeline says what happened. */
  private async onRefundFailed(m: EntityManager, refund: RefundRow): Promise<void> {
    if (!refund.source_id || !(await this.repo.statusOf(m, refund.source_id))) return;
    await this.engine.fire(returnMachine, refund.source_id, 'refund-failed', systemCaller(refund.merchant_id), {
      manager: m,
      note: refund.failure_reason,
      data: { refundId: refund.id, retry: `POST /api/v1/refunds/${refund.id}/retry` },
    });
  }

  private async mustFind(m: EntityManager, merchantId: string, id: string): Promise<ReturnRow> {
    const row = isUuid(id) ? await this.repo.findForMerchant(m, merchantId, id) : null;
    if (!row) throw new NotFound('return', id);
    return row;
  }
}
