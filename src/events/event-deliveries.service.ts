import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { Caller } from '../kernel/auth/roles.js';
import { genericSignatureOf } from '../kernel/crypto/signature.js';
import { Conflict, NotFound, RuleViolation } from '../kernel/errors/domain-errors.js';
import { OutboundError, SafeHttp } from '../kernel/http/safe-http.js';
import { laneOf, type OutboxMessage, OutboxService } from '../kernel/outbox/outbox.service.js';
import { mapPage, type Page, paginateSql, SqlFilter } from '../kernel/pagination/pagination.js';
import { isUuid } from '../kernel/state-machine/state-machine.engine.js';
import {
  type DeliveryOutcome, type EventDeliveryDetailDto, type EventDeliveryResponseDto, type EventDeliveryRow, type ListEventDeliveriesQueryDto,
  type ResendEventDeliveryResponseDto, toEventDeliveryResponse,
} from './dto/event-delivery.dto.js';
import { type DeliveryPayload, EVENT_DELIVERY, EventsService, type OutboundEvent } from './events.service.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';

/** One attempt as the log keeps it: never the endpoint's answer body (SPEC §4). */
interface Attempt {
  outcome: DeliveryOutcome;
  statusCode: number | null;
  failureReason: string | null;
  durationMs: number;
}

/**
 * Delivers queued events to merchants' endpoints and keeps the delivery log. Each attempt is
 * signed like our generic inbound format — `X-Signature: t=<unix>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">` with the endpoint's secret — and recorded (status or short reason, duration).
 * The outbox retries a failed attempt with backoff; a success is final, so nothing is sent twice
 * unless the merchant resends, which queues the same event (same id) again.
 */
@Injectable()
export class EventDeliveryService implements OnModuleInit {
  private readonly logger = new Logger('EventDelivery');

  constructor(
    @InjectRepository(WebhookEndpoint) private readonly endpoints: Repository<WebhookEndpoint>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxService,
    private readonly http: SafeHttp,
    private readonly events: EventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.outbox.registerHandler<DeliveryPayload>(EVENT_DELIVERY, (msg) => this.deliver(msg));
  }

  private async deliver(msg: OutboxMessage<DeliveryPayload>): Promise<Record<string, unknown>> {
    const p = msg.payload;
    const endpoint = await this.endpoints.findOne({ where: { id: p.endpointId } });
    const skipped = { skipped: 'endpoint removed or inactive' };
    if (!endpoint) return skipped;
    if (!endpoint.active) {
      await this.log(endpoint, p, { outcome: 'skipped', statusCode: null, failureReason: 'endpoint inactive', durationMs: 0 });
      return skipped;
    }
    const body = JSON.stringify(p.event);
    const t = Math.floor(Date.now() / 1000);
    const started = performance.now();
    const took = () => Math.round(performance.now() - started);
    try {
      // No redirects: the signature never reaches wherever a 3xx points (SPEC §4).
      const res = await this.http.request({
        method: 'POST',
        url: endpoint.url,
        body,
        headers: {
          'content-type': 'application/json',
          'x-signature': `t=${t},v1=${genericSignatureOf(body, endpoint.secret, t)}`,
          'x-event-id': p.event.id,
          'x-event-type': p.event.type,
        },
      });
      await this.log(endpoint, p, { outcome: 'succeeded', statusCode: res.status, failureReason: null, durationMs: took() });
      if (endpoint.consecutiveFailures > 0) await this.db.query(`UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = $1`, [endpoint.id]);
      return { status: res.status };
    } catch (err) {
      const durationMs = took();
      const known = err instanceof OutboundError ? err : null;
      const reason = known ? `endpoint: ${known.reason}` : 'endpoint: delivery failed';
      await this.log(endpoint, p, { outcome: 'failed', statusCode: known?.status ?? null, failureReason: known?.reason ?? 'delivery failed', durationMs });
      await this.recordFailure(endpoint.id, reason);
      // A failure may have disabled it: this instance stops queueing for it at once.
      this.events.forgetEndpoints(endpoint.merchantId);
      throw new Error(reason);
    }
  }

  /**
   * One log row per attempt; `attempt` counts this event's attempts to this endpoint, resends
   * included. The event row is written here too when missing: messages queued before the log
   * existed carry their event only in the outbox payload.
   */
  private async log(endpoint: WebhookEndpoint, p: DeliveryPayload, a: Attempt): Promise<void> {
    const e: OutboundEvent = p.event;
    // Only a record: failing to write it must not fail a delivery the endpoint already accepted
    // (the outbox would send it again).
    await this.db.query(
      `WITH ev AS (
         INSERT INTO outbound_events (id, merchant_id, type, occurred_at, payload) VALUES ($2, $1, $4, $10, $11) ON CONFLICT (id) DO NOTHING
       )
       INSERT INTO event_deliveries (merchant_id, event_id, endpoint_id, event_type, attempt, resend, outcome, status_code, failure_reason, duration_ms)
       VALUES ($1, $2, $3, $4, (SELECT count(*) + 1 FROM event_deliveries WHERE event_id = $2 AND endpoint_id = $3), $5, $6, $7, $8, $9)`,
      [endpoint.merchantId, e.id, endpoint.id, e.type, p.resend === true, a.outcome, a.statusCode, a.failureReason?.slice(0, 300) ?? null, a.durationMs, e.occurredAt, JSON.stringify(e)],
    ).catch((err: unknown) => this.logger.warn(`delivery log of event ${e.id} to endpoint ${endpoint.id} not written: ${err instanceof Error ? err.message : String(err)}`));
  }

  /**
   * Counts a failed attempt; the Nth in a row disables the endpoint (as WooCommerce does after 5),
   * which the merchant sees as `disabledAt`/`disabledReason` and undoes with PATCH {"active": true}.
   */
  private async recordFailure(endpointId: string, reason: string): Promise<void> {
    const limit = this.config.outbox.disableEndpointAfter;
    await this.db.query(
      `UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1, last_failure_at = now(), last_failure_reason = $2,
              active = active AND consecutive_failures + 1 < $3,
              disabled_at = CASE WHEN active AND consecutive_failures + 1 >= $3 THEN now() ELSE disabled_at END,
              disabled_reason = CASE WHEN active AND consecutive_failures + 1 >= $3 THEN $4 ELSE disabled_reason END,
              updated_at = CASE WHEN active AND consecutive_failures + 1 >= $3 THEN now() ELSE updated_at END
        WHERE id = $1`,
      [endpointId, reason, limit, `disabled after ${limit} failed deliveries in a row; last: ${reason}`],
    );
  }

  /** The endpoint's delivery attempts, newest first. */
  async list(caller: Caller, endpointId: string, q: ListEventDeliveriesQueryDto): Promise<Page<EventDeliveryResponseDto>> {
    const endpoint = await this.events.find(caller, endpointId);
    const f = new SqlFilter('merchant_id = ?', caller.merchantId).add('endpoint_id = ?', endpoint.id);
    if (q.eventId) f.add('event_id = ?', q.eventId);
    if (q.outcome) f.add('outcome = ?', q.outcome);
    return mapPage(await paginateSql<EventDeliveryRow>(this.db, 'event_deliveries', f, q), toEventDeliveryResponse);
  }

  /** One attempt with the event exactly as it was sent. */
  async get(caller: Caller, endpointId: string, deliveryId: string): Promise<EventDeliveryDetailDto> {
    const endpoint = await this.events.find(caller, endpointId);
    const { row, event } = await this.findDelivery(caller, endpoint.id, deliveryId);
    return { ...toEventDeliveryResponse(row), event };
  }

  /**
   * Queues the delivery's event to the endpoint again, with the same event id so the receiver can
   * tell it has it already. Refused while the endpoint is inactive (it would end as skipped) and
   * while a delivery of the event to it is still queued (that one is being retried).
   */
  async resend(caller: Caller, endpointId: string, deliveryId: string): Promise<ResendEventDeliveryResponseDto> {
    const endpoint = await this.events.find(caller, endpointId);
    const { row, event } = await this.findDelivery(caller, endpoint.id, deliveryId);
    if (!endpoint.active) {
      throw new RuleViolation(`webhook endpoint ${endpoint.id} is inactive; re-enable it (PATCH {"active": true}) before resending`, { endpointId: endpoint.id });
    }
    return this.db.transaction(async (m) => {
      const lane = laneOf(EVENT_DELIVERY, endpoint.id);
      // Serialises resends of one endpoint, so two clicks cannot both pass the check below.
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [lane]);
      const queued: unknown[] = await m.query(
        `SELECT 1 FROM outbox WHERE lane = $1 AND kind = $2 AND status = 'pending' AND payload->'event'->>'id' = $3 LIMIT 1`,
        [lane, EVENT_DELIVERY, row.event_id],
      );
      if (queued.length) throw new Conflict(`event ${row.event_id} is already queued for endpoint ${endpoint.id}; its delivery log shows the attempts`, { eventId: row.event_id });
      const payload: DeliveryPayload = { endpointId: endpoint.id, event, resend: true };
      await this.outbox.enqueue(m, { merchantId: caller.merchantId, kind: EVENT_DELIVERY, target: endpoint.id, payload: { ...payload } });
      return { eventId: row.event_id, endpointId: endpoint.id, eventType: row.event_type, queued: true };
    });
  }

  private async findDelivery(caller: Caller, endpointId: string, deliveryId: string): Promise<{ row: EventDeliveryRow; event: OutboundEvent }> {
    const rows: Array<EventDeliveryRow & { payload: OutboundEvent }> = isUuid(deliveryId)
      ? await this.db.query(
          `SELECT d.*, e.payload FROM event_deliveries d JOIN outbound_events e ON e.id = d.event_id
            WHERE d.id = $1 AND d.endpoint_id = $2 AND d.merchant_id = $3`,
          [deliveryId, endpointId, caller.merchantId],
        )
      : [];
    if (!rows.length) throw new NotFound('event delivery', deliveryId);
    const { payload, ...row } = rows[0];
    return { row, event: payload };
  }
}
