import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '../kernel/auth/roles.js';
import { DomainError, NotFound } from '../kernel/errors/domain-errors.js';
import { mapPage, Page } from '../kernel/pagination/pagination.js';
import { allowedActions } from '../kernel/state-machine/machine.js';
import { MachineRegistry } from '../kernel/state-machine/machine-registry.js';
import { isUuid, StateMachineEngine } from '../kernel/state-machine/state-machine.engine.js';
import { SettingsService } from '../kernel/settings/settings.service.js';
import { TasksService } from '../tasks/tasks.service.js';
import {
  AuditOrderDto, CancelOrderDto, ConfirmBatchDto, ConfirmOrderDto, HoldOrderDto, LogConfirmationCallDto, OrderActionDto, ReleaseOrderDto, ShipOrderDto,
} from './dto/order-actions.dto.js';
import type { ListOrdersQueryDto } from './dto/order-query.dto.js';
import {
  ConfirmationCallResponseDto, ConfirmBatchResponseDto, OrderDetailResponseDto, OrderResponseDto, toConfirmationCallResponse, toOrderDetailResponse,
  toOrderResponse,
} from './dto/order-response.dto.js';
import type { Order } from './order.entity.js';
import { orderEffects } from './order.effects.js';
import { ORDER_GUARDS } from './order.guards.js';
import { orderMachine } from './order.machine.js';
import { ambiguousRef, findOrdersByPlatformRef } from './order-ref.js';
import { OrdersRepository } from './orders.repository.js';
import { readOrderDetail } from './order-detail.query.js';
import { carrierCoverageSettings } from './carrier-coverage.settings.js';
import { OrderShipmentsPort } from './order-shipments.port.js';
import { orderSettings } from './order-settings.js';

/** Staff-facing order procedure: reads and the actions of SPEC §5 through the engine. */
@Injectable()
export class OrdersService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly engine: StateMachineEngine,
    private readonly registry: MachineRegistry,
    private readonly repo: OrdersRepository,
    private readonly tasks: TasksService,
    private readonly shipments: OrderShipmentsPort,
    private readonly settings: SettingsService,
  ) {}

  onModuleInit(): void {
    this.registry.register(orderMachine, { guards: ORDER_GUARDS, effects: orderEffects(this.tasks, this.shipments) });
    this.settings.register(orderSettings);
    this.settings.register(carrierCoverageSettings);
  }

  async list(caller: Caller, q: ListOrdersQueryDto): Promise<Page<OrderResponseDto>> {
    return mapPage(await this.repo.page(caller.merchantId, q), toOrderResponse);
  }

  async get(caller: Caller, id: string): Promise<OrderDetailResponseDto> {
    const parts = isUuid(id) ? await readOrderDetail(this.db.manager, caller.merchantId, id) : null;
    if (!parts) throw new NotFound('order', id);
    return toOrderDetailResponse({ ...parts, allowedActions: allowedActions(orderMachine, { status: parts.order.status }, caller) });
  }

  /** SPEC §5: staff look an order up by the id or number the platform shows. */
  async getByPlatformId(caller: Caller, ref: string, shopId?: string): Promise<OrderDetailResponseDto> {
    const matches = await findOrdersByPlatformRef(this.db.manager, caller.merchantId, ref, shopId);
    if (matches.length > 1) throw ambiguousRef(ref, matches, 'add ?shopId= to choose one');
    if (!matches.length) {
      throw new NotFound('order with platform order id or number', ref, `search by order number, phone or tracking number with GET /api/v1/orders?q=${encodeURIComponent(ref)}`);
    }
    return this.get(caller, matches[0].id);
  }

  audit(caller: Caller, id: string, dto: AuditOrderDto): Promise<OrderDetailResponseDto> {
    return this.fire(caller, id, 'audit', dto, { carrier: dto.carrier });
  }

  hold(caller: Caller, id: string, dto: HoldOrderDto): Promise<OrderDetailResponseDto> {
    return this.fire(caller, id, 'hold', dto, { reason: dto.reason });
  }

  release(caller: Caller, id: string, dto: ReleaseOrderDto): Promise<OrderDetailResponseDto> {
    return this.fire(caller, id, 'release', dto);
  }

  confirm(caller: Caller, id: string, dto: ConfirmOrderDto): Promise<OrderDetailResponseDto> {
    return this.fire(caller, id, 'confirm', dto);
  }

  ship(caller: Caller, id: string, dto: ShipOrderDto): Promise<OrderDetailResponseDto> {
    return this.fire(caller, id, 'ship', dto, { carrier: dto.carrier, trackingNo: dto.trackingNo });
  }

  cancel(caller: Caller, id: string, dto: CancelOrderDto): Promise<OrderDetailResponseDto> {
    return this.fire(caller, id, 'cancel', dto, { reason: dto.reason });
  }

  /** Any other action of the machine (platform and timer actions answer 403 to staff, unknown ones 404). */
  other(caller: Caller, id: string, action: string, dto: OrderActionDto): Promise<OrderDetailResponseDto> {
    return this.fire(caller, id, action, dto);
  }

  /** [002] 财务确认 in batches: each order is confirmed (or refused) on its own. */
  async confirmBatch(caller: Caller, dto: ConfirmBatchDto): Promise<ConfirmBatchResponseDto> {
    const results: ConfirmBatchResponseDto['results'] = [];
    for (const orderId of dto.orderIds) {
      try {
        await this.engine.fire(orderMachine, orderId, 'confirm', caller, { note: dto.note ?? null, data: { batch: true } });
        results.push({ orderId, confirmed: true });
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        results.push({ orderId, confirmed: false, error: { statusCode: e.status, message: e.message } });
      }
    }
    const confirmedIds = results.filter((r) => r.confirmed).map((r) => r.orderId);
    const orders = new Map((await this.repo.findManyForMerchant(caller.merchantId, confirmedIds)).map((o) => [o.id, o]));
    for (const r of results) if (r.confirmed) r.order = toOrderResponse(orders.get(r.orderId)!);
    return { confirmed: confirmedIds.length, failed: results.length - confirmedIds.length, results };
  }

  /** [004] Logs the call that confirms a cash-on-delivery order (also allowed for prepaid orders), in the timeline too. */
  async logConfirmationCall(caller: Caller, id: string, dto: LogConfirmationCallDto): Promise<ConfirmationCallResponseDto> {
    const order = await this.mustFind(caller, id);
    const call = await this.db.transaction(async (manager) => {
      const c = await this.repo.insertConfirmationCall(manager, { merchantId: caller.merchantId, orderId: order.id, staffId: caller.staffId ?? null, outcome: dto.outcome, note: dto.note ?? null });
      await this.engine.fire(orderMachine, order.id, 'confirmation-call', caller, {
        manager, internal: true, now: c.createdAt, expectedVersion: dto.expectedVersion, note: dto.note ?? null, data: { outcome: dto.outcome, callId: c.id },
      });
      return c;
    });
    return toConfirmationCallResponse(call);
  }

  private async fire(caller: Caller, id: string, action: string, dto: OrderActionDto, input: Record<string, unknown> = {}): Promise<OrderDetailResponseDto> {
    const clean = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    await this.engine.fire(orderMachine, id, action, caller, { input: clean, expectedVersion: dto.expectedVersion, note: dto.note ?? null });
    return this.get(caller, id);
  }

  private async mustFind(caller: Caller, id: string): Promise<Order> {
    const order = await this.repo.findForMerchant(caller.merchantId, id);
    if (!order) throw new NotFound('order', id);
    return order;
  }
}
