import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound events kept once each (the JSON as it was sent, for the log and for resending the same
 * event id), and one row per delivery attempt to an endpoint: status or our short failure reason
 * and the time it took — never the endpoint's answer body (SPEC §4).
 */
export class EventDeliveryLog1764230000000 implements MigrationInterface {
  name = 'EventDeliveryLog1764230000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbound_events (
        id uuid PRIMARY KEY,
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        type text NOT NULL,
        occurred_at timestamptz(3) NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX outbound_events_created_idx ON outbound_events (created_at)`);
    await q.query(`
      CREATE TABLE event_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
        event_id uuid NOT NULL REFERENCES outbound_events(id) ON DELETE CASCADE,
        event_type text NOT NULL,
        attempt integer NOT NULL CHECK (attempt >= 1),
        resend boolean NOT NULL DEFAULT false,
        outcome text NOT NULL CHECK (outcome IN ('succeeded','failed','skipped')),
        status_code integer,
        failure_reason text CHECK (char_length(failure_reason) <= 300),
        duration_ms integer NOT NULL CHECK (duration_ms >= 0),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX event_deliveries_endpoint_idx ON event_deliveries (endpoint_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX event_deliveries_event_idx ON event_deliveries (event_id, endpoint_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE event_deliveries`);
    await q.query(`DROP TABLE outbound_events`);
  }
}
