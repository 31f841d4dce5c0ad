import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { Caller } from '../kernel/auth/roles.js';
import { NotFound } from '../kernel/errors/domain-errors.js';
import { SafeHttp } from '../kernel/http/safe-http.js';
import { laneOf, OutboxService } from '../kernel/outbox/outbox.service.js';
import { mapPage, type Page, paginate } from '../kernel/pagination/pagination.js';
import { isUuid, StateMachineEngine, type TransitionNotice } from '../kernel/state-machine/state-machine.engine.js';
import {
  type CreatedWebhookEndpointDto, type CreateWebhookEndpointDto, type ListWebhookEndpointsQueryDto, toWebhookEndpointResponse,
  type UpdateWebhookEndpointDto, type WebhookEndpointResponseDto,
} from './dto/webhook-endpoint.dto.js';
import { EventType } from './event-types.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';

export interface OutboundEvent {
  id: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** An `event.deliver` outbox message: the event itself travels with it, so a delivery never waits on a read. */
export interface DeliveryPayload {
  endpointId: string;
  event: OutboundEvent;
  /** Queued by a merchant's resend (the delivery log says so). */
  resend?: boolean;
}

export const EVENT_DELIVERY = 'event.deliver';

const ENDPOINTS_CACHE_MS = 5_000;
const ENDPOINTS_CACHE_MAX = 10_000;

/**
 * Outbound events: each create and status change of any case (and events other modules publish)
 * becomes one outbox message per subscribed endpoint, in the transaction of the change; the event
 * JSON is kept once (outbound_events) for the delivery log and resends. EventDeliveryService
 * delivers them (signed, logged, retried).
 */
@Injectable()
export class EventsService implements OnModuleInit {
  private readonly endpointCache = new Map<string, { until: number; endpoints: ReadonlyArray<{ id: string; events: string[] }> }>();

  constructor(
    @InjectRepository(WebhookEndpoint) private readonly endpoints: Repository<WebhookEndpoint>,
    private readonly outbox: OutboxService,
    private readonly engine: StateMachineEngine,
    private readonly http: SafeHttp,
  ) {}

  onModuleInit(): void {
    this.engine.onTransition((n) => this.onTransition(n));
  }

  /** Queues `type` for every active endpoint of the merchant subscribed to it, in `manager`'s transaction. */
  async publish(manager: EntityManager, merchantId: string, type: string, data: Record<string, unknown>, at = new Date()): Promise<number> {
    const targets = (await this.activeEndpointsOf(manager, merchantId)).filter((e) => e.events.length === 0 || e.events.includes(type));
    if (!targets.length) return 0;
    const event: OutboundEvent = { id: randomUUID(), type, occurredAt: at.toISOString(), data };
    await manager.query(`INSERT INTO outbound_events (id, merchant_id, type, occurred_at, payload) VALUES ($1, $2, $3, $4, $5)`, [
      event.id, merchantId, type, event.occurredAt, JSON.stringify(event),
    ]);
    for (const t of targets) {
      // One lane per endpoint: a slow or dead endpoint backs off alone (SPEC §4).
      await this.outbox.enqueue(manager, { merchantId, kind: EVENT_DELIVERY, target: t.id, payload: { endpointId: t.id, event }, dedupeKey: `${event.id}:${t.id}` });
    }
    return targets.length;
  }

  /**
   * The merchant's active endpoints, kept briefly: every transition publishes, and most merchants
   * have no endpoint, so a query per transition (thousands in a scan or a webhook batch) would find
   * nothing (SPEC §13). Dropped at once on this instance when an endpoint is created, changed or
   * disabled; other instances see the change within ENDPOINTS_CACHE_MS.
   */
  /** Drops the merchant's cached endpoint list (an endpoint was created, changed or disabled here). */
  forgetEndpoints(merchantId: string): void {
    this.endpointCache.delete(merchantId);
  }

  private async activeEndpointsOf(manager: EntityManager, merchantId: string): Promise<ReadonlyArray<{ id: string; events: string[] }>> {
    const hit = this.endpointCache.get(merchantId);
    if (hit && hit.until > Date.now()) return hit.endpoints;
    const endpoints: Array<{ id: string; events: string[] }> = await manager.query(
      'SELECT id, events FROM webhook_endpoints WHERE merchant_id = $1 AND active ORDER BY created_at, id',
      [merchantId],
    );
    if (this.endpointCache.size >= ENDPOINTS_CACHE_MAX) this.endpointCache.clear();
    this.endpointCache.set(merchantId, { until: Date.now() + ENDPOINTS_CACHE_MS, endpoints });
    return endpoints;
  }

  private async onTransition(n: TransitionNotice): Promise<void> {
    // Actions that keep the status (assign, note, a logged call) are not status changes.
    const type = { created: EventType.CaseCreated, status: EventType.CaseStatusChanged, overdue: EventType.CaseOverdue, stay: null }[n.change];
    if (!type) return;
    await this.publish(
      n.manager,
      n.caller.merchantId,
      type,
      {
        caseType: n.machine.name,
        collection: n.machine.collection,
        id: n.row.id,
        shopId: n.row.shop_id,
        orderId: (n.row.order_id as string | null | undefined) ?? null,
        action: n.action,
        from: n.from,
        to: n.to,
        version: n.row.version,
        actor: n.event?.actor ?? { type: n.caller.type, id: n.caller.staffId ?? null },
        ...(n.change === 'overdue' ? { dueAt: n.row.due_at } : {}),
      },
      n.at,
    );
  }

  async create(caller: Caller, dto: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpointDto> {
    await this.http.assertAllowed('url', dto.url);
    const secret = dto.secret ?? `whsec_${randomBytes(24).toString('base64url')}`;
    const saved = await this.endpoints.save(
      this.endpoints.create({
        merchantId: caller.merchantId,
        url: dto.url,
        secret,
        events: dto.events ?? [],
        active: true,
        description: dto.description ?? null,
        consecutiveFailures: 0,
        lastFailureAt: null,
        lastFailureReason: null,
        disabledAt: null,
        disabledReason: null,
      }),
    );
    this.endpointCache.delete(caller.merchantId);
    return { ...toWebhookEndpointResponse(saved), secret };
  }

  async list(caller: Caller, q: ListWebhookEndpointsQueryDto): Promise<Page<WebhookEndpointResponseDto>> {
    const qb = this.endpoints.createQueryBuilder('e').where('e.merchant_id = :m', { m: caller.merchantId });
    return mapPage(await paginate(qb, 'e', q), toWebhookEndpointResponse);
  }

  async get(caller: Caller, id: string): Promise<WebhookEndpointResponseDto> {
    return toWebhookEndpointResponse(await this.find(caller, id));
  }

  async update(caller: Caller, id: string, dto: UpdateWebhookEndpointDto): Promise<WebhookEndpointResponseDto> {
    const e = await this.find(caller, id);
    if (dto.url !== undefined) {
      await this.http.assertAllowed('url', dto.url);
      if (dto.url !== e.url) e.consecutiveFailures = 0;
      e.url = dto.url;
    }
    if (dto.events !== undefined) e.events = dto.events;
    const reenabled = dto.active === true && !e.active;
    if (dto.active !== undefined) e.active = dto.active;
    if (reenabled) {
      e.consecutiveFailures = 0;
      e.disabledAt = null;
      e.disabledReason = null;
    }
    if (dto.description !== undefined) e.description = dto.description;
    const saved = await this.endpoints.save(e);
    this.endpointCache.delete(caller.merchantId);
    // Its lane may be pausing after the failures: deliveries resume now, not after the backoff.
    if (reenabled || dto.url !== undefined) await this.outbox.resetLane(laneOf(EVENT_DELIVERY, e.id));
    return toWebhookEndpointResponse(saved);
  }

  /** The caller's endpoint; another merchant's id is a 404 like an unknown one. */
  async find(caller: Caller, id: string): Promise<WebhookEndpoint> {
    const e = isUuid(id) ? await this.endpoints.findOne({ where: { id, merchantId: caller.merchantId } }) : null;
    if (!e) throw new NotFound('webhook endpoint', id);
    return e;
  }
}
