import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { type Caller, systemCaller } from '../kernel/auth/roles.js';
import type { AssignCaseDto, NoteCaseDto } from '../kernel/cases/case-action.dto.js';
import { applyFilter, caseFilter } from '../kernel/cases/case-filter.js';
import { Conflict, InvalidInput, NotFound, RuleViolation } from '../kernel/errors/domain-errors.js';
import { mapPage, Page, paginate } from '../kernel/pagination/pagination.js';
import { allowedActions, type MachineDefinition, type TransitionContext } from '../kernel/state-machine/machine.js';
import { MachineRegistry } from '../kernel/state-machine/machine-registry.js';
import { isUuid, StateMachineEngine } from '../kernel/state-machine/state-machine.engine.js';
import { TimelineService } from '../kernel/timeline/timeline.service.js';
import { ReshipOrdersService } from '../orders/reship-orders.service.js';
import { toTimelineEntryDto } from '../kernel/timeline/timeline.dto.js';
import {
  CloseDto, CreateLogisticsExceptionDto, DismissDto, EscalateDto, ListLogisticsExceptionsQueryDto, LogisticsExceptionDetailResponseDto,
  LogisticsExceptionResponseDto, RecallDto, ReshipDto, ResolveDto, toLogisticsExceptionResponse, UrgeDto,
} from './dto/logistics-exception.dto.js';
import { toShipmentResponse } from './dto/shipment.dto.js';
import { LogisticsException } from './logistics-exception.entity.js';
import {
  AUTO_RESOLVED_KINDS, LOGISTICS_EXCEPTION_GUARDS, logisticsExceptionMachine, LogisticsExceptionKind, LogisticsExceptionSource, LogisticsExceptionStatus,
  type ReshipInput,
} from './logistics-exception.machine.js';
import { Shipment } from './shipment.entity.js';
import { withSavepoint } from '../kernel/db/savepoint.js';
import { isFinished } from './tracking-status.js';

export interface ShipmentRef {
  id: string;
  merchant_id: string;
  shop_id: string;
  order_id: string | null;
}

export interface OpenOptions {
  kind: LogisticsExceptionKind;
  source: LogisticsExceptionSource;
  reportedAt: Date;
  description?: string | null;
  silentSince?: Date | null;
}

const S = LogisticsExceptionStatus;

/** Logistics exception cases: creation, reads, and every action through the engine. */
@Injectable()
export class LogisticsExceptionsService implements OnModuleInit {
  readonly machine: MachineDefinition<LogisticsExceptionStatus> = logisticsExceptionMachine;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(LogisticsException) private readonly repo: Repository<LogisticsException>,
    @InjectRepository(Shipment) private readonly shipments: Repository<Shipment>,
    private readonly engine: StateMachineEngine,
    private readonly registry: MachineRegistry,
    private readonly timeline: TimelineService,
    private readonly reships: ReshipOrdersService,
  ) {}

  onModuleInit(): void {
    // The 24 h escalation after `urge` is the machine's onDue, run by the kernel's due sweeper.
    this.registry.register(this.machine, {
      guards: LOGISTICS_EXCEPTION_GUARDS,
      effects: { createReshipOrder: (ctx) => this.createReshipOrder(ctx) },
    });
  }

  // ---- reads ----

  async list(caller: Caller, q: ListLogisticsExceptionsQueryDto): Promise<Page<LogisticsExceptionResponseDto>> {
    const f = caseFilter(caller.merchantId, q, { alias: 'e', dateColumn: 'reported_at' });
    if (q.shipmentId) f.add('e.shipment_id = ?', q.shipmentId);
    if (q.orderId) f.add('e.order_id = ?', q.orderId);
    if (q.kind) f.add('e.kind = ?', q.kind);
    const qb = applyFilter(this.repo.createQueryBuilder('e'), f);
    return mapPage(await paginate(qb, 'e', q), toLogisticsExceptionResponse);
  }

  async get(caller: Caller, id: string): Promise<LogisticsExceptionDetailResponseDto> {
    const e = await this.mustFind(caller.merchantId, id);
    const [shipment, timeline] = await Promise.all([
      this.shipments.findOneByOrFail({ id: e.shipmentId }),
      this.timeline.listFor(caller.merchantId, this.machine.name, e.id),
    ]);
    return {
      ...toLogisticsExceptionResponse(e),
      shipment: toShipmentResponse(shipment),
      timeline: timeline.map(toTimelineEntryDto),
      allowedActions: allowedActions(this.machine, { status: e.status, order_id: e.orderId }, caller),
    };
  }

  // ---- creation ----

  /** Staff report an exception; `no_outlet` starts at reship_required, due 16:00 [002 快递无网点]. */
  async create(caller: Caller, dto: CreateLogisticsExceptionDto): Promise<LogisticsExceptionDetailResponseDto> {
    const reportedAt = dto.reportedAt ? new Date(dto.reportedAt) : new Date();
    if (reportedAt.getTime() > Date.now() + 5 * 60_000) {
      throw new InvalidInput('Validation failed', [{ field: 'reportedAt', errors: ['reportedAt must not be in the future'] }]);
    }
    const id = await this.db.transaction(async (m) => {
      const rows: Array<ShipmentRef & { status: string }> = await m.query('SELECT id, merchant_id, shop_id, order_id, status FROM shipments WHERE id = $1 AND merchant_id = $2 FOR UPDATE', [
        dto.shipmentId,
        caller.merchantId,
      ]);
      if (!rows.length) throw new NotFound('shipment', dto.shipmentId);
      if (dto.kind === LogisticsExceptionKind.Stale && isFinished(rows[0].status)) {
        throw new RuleViolation(`Shipment ${dto.shipmentId} is ${rows[0].status}: a finished parcel is never stale (SPEC §6); report lost or address_issue instead`, { status: rows[0].status });
      }
      const open = await this.findOpenByShipment(m, dto.shipmentId);
      if (open) throw new Conflict(`Shipment ${dto.shipmentId} already has an open logistics exception ${open.id} (${open.status})`, { exceptionId: open.id, status: open.status });
      const created = await this.openForShipment(m, caller, rows[0], {
        kind: dto.kind, source: LogisticsExceptionSource.Staff, reportedAt, description: dto.description ?? null,
      });
      if (!created) throw new Conflict(`Shipment ${dto.shipmentId} already has an open logistics exception`);
      return created;
    });
    return this.get(caller, id);
  }

  async findOpenByShipment(m: EntityManager, shipmentId: string): Promise<{ id: string; status: LogisticsExceptionStatus; kind: LogisticsExceptionKind } | undefined> {
    const rows: Array<{ id: string; status: LogisticsExceptionStatus; kind: LogisticsExceptionKind }> = await m.query(
      `SELECT id, status, kind FROM logistics_exceptions WHERE shipment_id = $1 AND status <> $2`,
      [shipmentId, S.Closed],
    );
    return rows[0];
  }

  /**
   * Opens a case for a shipment through the engine unless one is open already (then null).
   * A concurrent opener (the scan) may win the partial unique index; its case stands.
   */
  async openForShipment(m: EntityManager, caller: Caller, ship: ShipmentRef, o: OpenOptions): Promise<string | null> {
    if (await this.findOpenByShipment(m, ship.id)) return null;
    const status = o.kind === LogisticsExceptionKind.NoOutlet ? S.ReshipRequired : S.Open;
    const created = await withSavepoint(m, 'open_exception', async () => {
      const r = await this.engine.create(
        this.machine,
        caller,
        {
          shop_id: ship.shop_id,
          order_id: ship.order_id,
          shipment_id: ship.id,
          kind: o.kind,
          source: o.source,
          reported_at: o.reportedAt,
          silent_since: o.silentSince ?? null,
          description: o.description ?? null,
          currency: await this.shopCurrency(m, ship.shop_id),
        },
        { status, manager: m, dueFrom: o.reportedAt, note: o.description ?? null, data: { kind: o.kind, source: o.source } },
      );
      return r.row.id;
    }, isOpenExceptionConflict);
    return created ?? null;
  }

  /** A new tracking event moved the parcel: settle its open stale / stranded / 疑难 case. */
  async resolveOnMovement(m: EntityManager, caller: Caller, shipmentId: string, eventAt: Date, now: Date): Promise<string | null> {
    const open = await this.findOpenByShipment(m, shipmentId);
    if (!open || !AUTO_RESOLVED_KINDS.includes(open.kind) || (open.status !== S.Open && open.status !== S.Urged)) return null;
    await this.engine.fire(this.machine, open.id, 'resolve', caller, {
      manager: m, now, note: 'the parcel moved again (new tracking event)', data: { auto: true, eventAt: eventAt.toISOString() },
    });
    return open.id;
  }

  // ---- actions ----

  urge(caller: Caller, id: string, dto: UrgeDto) {
    return this.fire(caller, id, 'urge', dto.expectedVersion, { outletCall: dto.outletCall, backOfficeMessage: dto.backOfficeMessage, customerReply: dto.customerReply }, dto.note);
  }

  resolve(caller: Caller, id: string, dto: ResolveDto) {
    return this.fire(caller, id, 'resolve', dto.expectedVersion, {}, dto.note);
  }

  escalate(caller: Caller, id: string, dto: EscalateDto) {
    return this.fire(caller, id, 'escalate', dto.expectedVersion, { reason: dto.reason }, withNote(dto.reason, dto.note));
  }

  reship(caller: Caller, id: string, dto: ReshipDto) {
    return this.fire(caller, id, 'reship', dto.expectedVersion, { reshipCost: dto.reshipCost, carrier: dto.carrier }, dto.note);
  }

  recall(caller: Caller, id: string, dto: RecallDto) {
    return this.fire(caller, id, 'recall', dto.expectedVersion, { backOfficeMessage: dto.backOfficeMessage }, dto.note);
  }

  close(caller: Caller, id: string, dto: CloseDto) {
    return this.fire(caller, id, 'close', dto.expectedVersion, { outcome: dto.outcome, recovered: dto.recovered ?? 0 }, dto.note);
  }

  dismiss(caller: Caller, id: string, dto: DismissDto) {
    return this.fire(caller, id, 'dismiss', dto.expectedVersion, { reason: dto.reason }, withNote(dto.reason, dto.note));
  }

  assign(caller: Caller, id: string, dto: AssignCaseDto) {
    return this.fire(caller, id, 'assign', dto.expectedVersion, { assigneeId: dto.assigneeId }, dto.note);
  }

  note(caller: Caller, id: string, dto: NoteCaseDto) {
    return this.fire(caller, id, 'note', dto.expectedVersion, {}, dto.note);
  }

  private async fire(caller: Caller, id: string, action: string, expectedVersion: number | undefined, input: Record<string, unknown>, note: string | null | undefined) {
    const clean = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    await this.engine.fire(this.machine, id, action, caller, { input: clean, expectedVersion, note: note ?? null });
    return this.get(caller, id);
  }

  // ---- effects ----

  /** [002 补发] 预订单转入审核: a free replacement order (same lines, 100% discount) that goes through the audit. */
  /** [002 补发] the reship order is the orders module's; the case records its id and cost. */
  private async createReshipOrder(ctx: TransitionContext): Promise<{ reship_order_id: string }> {
    const input = ctx.input as ReshipInput;
    const reship = await this.reships.createReship(ctx.manager, {
      merchantId: ctx.row.merchant_id,
      orderId: String(ctx.row.order_id),
      reason: `logistics exception ${ctx.row.id}`,
      sourceId: ctx.row.id,
      caller: ctx.caller,
      now: ctx.now,
      carrier: input.carrier ?? null,
      cost: input.reshipCost,
      data: { logisticsExceptionId: ctx.row.id },
    });
    return { reship_order_id: reship.id };
  }

  private async shopCurrency(m: EntityManager, shopId: string): Promise<string> {
    const rows: Array<{ currency: string }> = await m.query('SELECT currency FROM shops WHERE id = $1', [shopId]);
    return rows[0]?.currency ?? 'CNY';
  }

  private async mustFind(merchantId: string, id: string): Promise<LogisticsException> {
    const e = isUuid(id) ? await this.repo.findOne({ where: { id, merchantId } }) : null;
    if (!e) throw new NotFound('logistics exception', id);
    return e;
  }
}

/** A required reason and an optional note, as one timeline note. */
function withNote(reason: string, note: string | undefined): string {
  return note ? `${reason}\n${note}` : reason;
}

function isOpenExceptionConflict(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string; constraint?: string }; constraint?: string };
  const code = e.driverError?.code ?? e.code;
  const constraint = e.driverError?.constraint ?? e.constraint;
  return code === '23505' && constraint === 'logistics_exceptions_open_uq';
}
