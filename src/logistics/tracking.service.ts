import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { type Caller, systemCaller } from '../kernel/auth/roles.js';
import { Conflict, DomainError, NotFound } from '../kernel/errors/domain-errors.js';
import { StateMachineEngine } from '../kernel/state-machine/state-machine.engine.js';
import { orderMachine } from '../orders/order.machine.js';
import { LogisticsExceptionKind, LogisticsExceptionSource } from './logistics-exception.machine.js';
import { LogisticsExceptionsService } from './logistics-exceptions.service.js';
import { TrackingSource } from './shipment-event.entity.js';
import { withSavepoint } from '../kernel/db/savepoint.js';
import { isFinished, TrackingStatus } from './tracking-status.js';

/** One tracking event as an adapter understood it. */
export interface IncomingEvent {
  at: Date;
  location: string | null;
  description: string;
  /** Normalised status the carrier gave with this event, if any. */
  status: TrackingStatus | null;
  rawCode: string | null;
}

/** What a push or a poll says about one parcel. */
export interface TrackingUpdate {
  merchantId: string;
  /** Pushes name the shop in their path; only its shipments match. */
  shopId?: string;
  /** Canonical carrier code (see CarrierRegistry). */
  carrier: string;
  /**
   * Kuaidi100 `autoCheck` correction (`comOld` → `comNew`): the code the parcel may still be
   * registered under; such a parcel is found by it and takes `carrier`.
   */
  previousCarrier?: string | null;
  trackingNo: string;
  events: IncomingEvent[];
  source: TrackingSource;
  /** The carrier gave up tracking (Kuaidi100 `status: "abort"`, e.g. 3天查询无记录). */
  abort?: { message: string };
}

export interface TrackingResult {
  shipmentId: string | null;
  /** Events stored for the first time. */
  inserted: number;
  status: string | null;
  lastEventAt: Date | null;
  /** The parcel's newest event moved forward with this update. */
  moved: boolean;
  openedExceptionId: string | null;
  resolvedExceptionId: string | null;
  orderDelivered: boolean;
  /** The parcel was re-filed from a carrier's old code to its new one (Kuaidi100 autoCheck). */
  carrierCorrected: { from: string; to: string } | null;
}

interface ShipmentRow {
  id: string;
  merchant_id: string;
  shop_id: string;
  order_id: string | null;
  status: string;
  raw_status: string | null;
  last_event_at: Date | null;
}

const DESCRIPTION_MAX = 1000;

/**
 * Applies tracking events to shipments. Duplicate and out-of-order events are harmless: events
 * are unique per (shipment, time, text) and the shipment's status and last event time are derived
 * from the newest stored event, so an older push never overwrites newer state.
 */
@Injectable()
export class TrackingService {
  private readonly logger = new Logger('Tracking');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly engine: StateMachineEngine,
    private readonly exceptions: LogisticsExceptionsService,
  ) {}

  async apply(update: TrackingUpdate, manager?: EntityManager): Promise<TrackingResult> {
    return manager ? this.applyIn(manager, update) : this.db.transaction((m) => this.applyIn(m, update));
  }

  private async applyIn(m: EntityManager, u: TrackingUpdate): Promise<TrackingResult> {
    const result: TrackingResult = {
      shipmentId: null, inserted: 0, status: null, lastEventAt: null, moved: false, openedExceptionId: null, resolvedExceptionId: null, orderDelivered: false,
      carrierCorrected: null,
    };
    let ship = await this.lockShipment(m, u, u.carrier);
    if (!ship && u.previousCarrier && u.previousCarrier !== u.carrier) {
      ship = await this.lockShipment(m, u, u.previousCarrier);
      if (ship) result.carrierCorrected = await this.refile(m, ship.id, u.previousCarrier, u.carrier);
    }
    if (!ship) return result;
    result.shipmentId = ship.id;

    result.inserted = await this.insertEvents(m, ship, u);

    const derived: Array<{ last_at: Date | null; status: TrackingStatus | null; raw_code: string | null }> = await m.query(
      `SELECT (SELECT max(occurred_at) FROM shipment_events WHERE shipment_id = $1) AS last_at, s.status, s.raw_code
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (SELECT status, raw_code FROM shipment_events WHERE shipment_id = $1 AND status IS NOT NULL
                             ORDER BY occurred_at DESC, id DESC LIMIT 1) s ON true`,
      [ship.id],
    );
    const d = derived[0];
    const lastAt = d.last_at;
    // Events without a status still prove the carrier has the parcel.
    const status = d.status ?? (lastAt && ship.status === TrackingStatus.PendingPickup ? TrackingStatus.InTransit : ship.status);
    const rawStatus = d.status ? d.raw_code : ship.raw_status;
    const prevAt = ship.last_event_at;
    result.moved = !!lastAt && (!prevAt || lastAt.getTime() > prevAt.getTime());
    result.status = status;
    result.lastEventAt = lastAt;
    if (status !== ship.status || rawStatus !== ship.raw_status || result.moved) {
      await m.query(`UPDATE shipments SET status = $2, raw_status = $3, last_event_at = $4, updated_at = now() WHERE id = $1`, [ship.id, status, rawStatus, lastAt]);
    }

    const carrier: Caller = systemCaller(ship.merchant_id, 'carrier');
    const now = new Date();
    if (status === TrackingStatus.Exception && ship.status !== TrackingStatus.Exception) {
      // 疑难: the carrier itself reports a problem.
      const text = d.status ? await this.newestText(m, ship.id) : null;
      result.openedExceptionId = await this.exceptions.openForShipment(m, carrier, ship, {
        kind: LogisticsExceptionKind.CarrierReported, source: LogisticsExceptionSource.Carrier, reportedAt: now, description: text ?? 'carrier reports a problem (疑难)',
      });
    } else if (result.moved) {
      // The parcel moves again: an open stale / stranded / 疑难 case is settled by itself.
      result.resolvedExceptionId = await this.exceptions.resolveOnMovement(m, carrier, ship.id, lastAt!, now);
    }
    // SPEC §6: a delivered or returned parcel never opens a stale case, however late the carrier gives up on it.
    if (u.abort && !result.openedExceptionId && !isFinished(status)) {
      result.openedExceptionId = await this.exceptions.openForShipment(m, carrier, ship, {
        kind: LogisticsExceptionKind.Stale, source: LogisticsExceptionSource.Carrier, reportedAt: now, description: `carrier stopped tracking: ${u.abort.message}`.slice(0, 2000),
        silentSince: lastAt,
      });
    }
    if (status === TrackingStatus.Delivered && ship.status !== TrackingStatus.Delivered && ship.order_id) {
      result.orderDelivered = await this.deliverOrder(m, carrier, ship.order_id, lastAt ?? now);
    }
    return result;
  }

  /** The row lock serialises all updates of one parcel (pushes, polls, retries arriving together). */
  private async lockShipment(m: EntityManager, u: TrackingUpdate, carrier: string): Promise<ShipmentRow | undefined> {
    const found: ShipmentRow[] = await m.query(
      `SELECT id, merchant_id, shop_id, order_id, status, raw_status, last_event_at FROM shipments
        WHERE merchant_id = $1 AND lower(carrier) = lower($2) AND tracking_no = $3 AND ($4::uuid IS NULL OR shop_id = $4)
        FOR UPDATE`,
      [u.merchantId, carrier.trim(), u.trackingNo.trim(), u.shopId ?? null],
    );
    return found[0];
  }

  /**
   * Kuaidi100 found the parcel under another carrier (autoCheck): it takes the new code, unless
   * the merchant already has a parcel with that code and number (then it keeps its code and
   * still gets the events: the push is about it).
   */
  private async refile(m: EntityManager, shipmentId: string, from: string, to: string): Promise<{ from: string; to: string } | null> {
    const moved: Array<{ id: string }> = await m.query(
      `WITH moved AS (
         UPDATE shipments s SET carrier = $2, updated_at = now()
          WHERE s.id = $1 AND NOT EXISTS (SELECT 1 FROM shipments o WHERE o.merchant_id = s.merchant_id AND lower(o.carrier) = lower($2) AND o.tracking_no = s.tracking_no)
          RETURNING s.id)
       SELECT id FROM moved`,
      [shipmentId, to],
    );
    if (!moved.length) return null;
    this.logger.log(`shipment ${shipmentId}: carrier corrected ${from} → ${to} (Kuaidi100 autoCheck)`);
    return { from, to };
  }

  private async insertEvents(m: EntityManager, ship: ShipmentRow, u: TrackingUpdate): Promise<number> {
    // One row per (time, text): within a batch keep the copy that carries a status.
    const byKey = new Map<string, IncomingEvent>();
    for (const e of u.events) {
      if (!(e.at instanceof Date) || Number.isNaN(e.at.getTime())) continue;
      const description = e.description.trim().slice(0, DESCRIPTION_MAX) || '(no text)';
      const key = `${e.at.toISOString()}|${description}`;
      const prev = byKey.get(key);
      if (!prev || (!prev.status && e.status)) byKey.set(key, { ...e, description });
    }
    const events = [...byKey.values()];
    if (!events.length) return 0;
    const rows: Array<{ inserted: boolean }> = await m.query(
      `INSERT INTO shipment_events (merchant_id, shipment_id, occurred_at, location, description, status, raw_code, source)
       SELECT $1, $2, e.at, e.loc, e.descr, e.status, e.code, $3
         FROM unnest($4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[]) AS e(at, loc, descr, status, code)
       ON CONFLICT (shipment_id, occurred_at, description) DO UPDATE
         SET status = EXCLUDED.status, raw_code = EXCLUDED.raw_code
         WHERE shipment_events.status IS NULL AND EXCLUDED.status IS NOT NULL
       RETURNING (xmax = 0) AS inserted`,
      [
        ship.merchant_id,
        ship.id,
        u.source,
        events.map((e) => e.at.toISOString()),
        events.map((e) => e.location?.slice(0, 500) ?? null),
        events.map((e) => e.description),
        events.map((e) => e.status),
        events.map((e) => e.rawCode?.slice(0, 50) ?? null),
      ],
    );
    return rows.filter((r) => r.inserted).length;
  }

  private async newestText(m: EntityManager, shipmentId: string): Promise<string | null> {
    const rows: Array<{ description: string }> = await m.query(
      'SELECT description FROM shipment_events WHERE shipment_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT 1',
      [shipmentId],
    );
    return rows[0]?.description ?? null;
  }

  /** SPEC §5 (tracking) delivered: moves a shipped order; any other order status is left alone. */
  private async deliverOrder(m: EntityManager, caller: Caller, orderId: string, deliveredAt: Date): Promise<boolean> {
    // Not shipped (yet, or any more): the parcel's own state is stored regardless, and whatever
    // the order transition wrote before refusing is rolled back to the savepoint.
    const done = await withSavepoint(
      m,
      'deliver_order',
      async () => {
        await this.engine.fire(orderMachine, orderId, 'deliver', caller, { manager: m, input: { deliveredAt: deliveredAt.toISOString() }, note: 'delivered according to tracking' });
        return true;
      },
      (err) => {
        if (err instanceof DomainError && !(err instanceof Conflict) && !(err instanceof NotFound)) this.logger.warn(`order ${orderId} not moved to delivered: ${err.message}`);
        return err instanceof DomainError;
      },
    );
    return done ?? false;
  }
}
