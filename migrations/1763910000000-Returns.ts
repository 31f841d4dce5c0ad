import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Return cases (SPEC §7) and the refund ledger: one row per money movement, written once.
 * A trigger keeps the money columns of a refund immutable and lets its status leave `pending`
 * exactly once; corrections and retries are new rows.
 */
export class Returns1763910000000 implements MigrationInterface {
  name = 'Returns1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE return_cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        shop_id uuid NOT NULL REFERENCES shops(id),
        order_id uuid NOT NULL REFERENCES orders(id),
        status text NOT NULL CHECK (status IN ('requested','approved','rejected','awaiting_return','received','inspected',
                                               'refunding','refunded','exchange_shipped','completed','cancelled')),
        version integer NOT NULL,
        assignee_id uuid REFERENCES staff(id),
        due_at timestamptz,
        reported_at timestamptz NOT NULL DEFAULT now(),
        cost bigint NOT NULL DEFAULT 0,
        recovered bigint NOT NULL DEFAULT 0,
        type text NOT NULL CHECK (type IN ('refund_only','return_refund','exchange')),
        reason text NOT NULL CHECK (reason IN ('quality','damaged','leaking','wrong_item','missing_item','not_as_described',
                                               'changed_mind','logistics','other')),
        description text,
        currency char(3) NOT NULL,
        requested_amount bigint NOT NULL CHECK (requested_amount >= 0),
        approved_amount bigint CHECK (approved_amount >= 0),
        approved_by uuid REFERENCES staff(id),
        reject_reason text,
        return_carrier text,
        return_tracking_no text,
        received_at timestamptz,
        inspection_result text CHECK (inspection_result IN ('pass','fail')),
        inspection_note text,
        exchange_shipment_id uuid REFERENCES shipments(id),
        cancel_reason text,
        created_by uuid REFERENCES staff(id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX return_cases_page_idx ON return_cases (merchant_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX return_cases_status_idx ON return_cases (merchant_id, status, due_at)`);
    await q.query(`CREATE INDEX return_cases_order_idx ON return_cases (order_id)`);

    await q.query(`
      CREATE TABLE return_lines (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        return_id uuid NOT NULL REFERENCES return_cases(id) ON DELETE CASCADE,
        order_line_id uuid NOT NULL REFERENCES order_lines(id),
        quantity integer NOT NULL CHECK (quantity > 0),
        UNIQUE (return_id, order_line_id)
      )`);

    await q.query(`
      CREATE TABLE refunds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        shop_id uuid NOT NULL REFERENCES shops(id),
        order_id uuid NOT NULL REFERENCES orders(id),
        status text NOT NULL CHECK (status IN ('pending','succeeded','failed')),
        version integer NOT NULL,
        due_at timestamptz,
        amount bigint NOT NULL CHECK (amount > 0),
        shipping_amount bigint NOT NULL DEFAULT 0 CHECK (shipping_amount >= 0 AND shipping_amount <= amount),
        currency char(3) NOT NULL,
        source_type text NOT NULL CHECK (source_type IN ('return','claim','logistics_exception','review','goodwill')),
        source_id uuid,
        reason text NOT NULL,
        responsibility text,
        method text NOT NULL CHECK (method IN ('shopify','webhook','manual')),
        execution_state text NOT NULL DEFAULT 'queued' CHECK (execution_state IN ('queued','executing','done','failed','manual')),
        execution_lease_until timestamptz,
        execution_attempts integer NOT NULL DEFAULT 0,
        platform_refund_id text,
        external_reference text,
        failure_reason text,
        retry_of uuid REFERENCES refunds(id),
        requested_by uuid REFERENCES staff(id),
        agent_id uuid REFERENCES staff(id),
        succeeded_at timestamptz,
        failed_at timestamptz,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (source_type = 'goodwill' OR source_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX refunds_order_idx ON refunds (order_id, status)`);
    await q.query(`CREATE INDEX refunds_page_idx ON refunds (merchant_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX refunds_source_idx ON refunds (source_type, source_id)`);
    await q.query(`CREATE INDEX refunds_recon_idx ON refunds (merchant_id, shop_id, created_at)`);
    // A failed refund is retried at most once by a new row.
    await q.query(`CREATE UNIQUE INDEX refunds_retry_uq ON refunds (retry_of) WHERE retry_of IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX refunds_platform_uq ON refunds (shop_id, platform_refund_id) WHERE platform_refund_id IS NOT NULL`);
    await q.query(`CREATE INDEX platform_refunds_recon_idx ON platform_refunds (merchant_id, shop_id, refunded_at)`);

    await q.query(`
      CREATE FUNCTION refunds_written_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'refunds are never deleted; write a correction' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.merchant_id IS DISTINCT FROM OLD.merchant_id OR NEW.shop_id IS DISTINCT FROM OLD.shop_id
           OR NEW.order_id IS DISTINCT FROM OLD.order_id OR NEW.amount IS DISTINCT FROM OLD.amount
           OR NEW.shipping_amount IS DISTINCT FROM OLD.shipping_amount OR NEW.currency IS DISTINCT FROM OLD.currency
           OR NEW.source_type IS DISTINCT FROM OLD.source_type OR NEW.source_id IS DISTINCT FROM OLD.source_id
           OR NEW.method IS DISTINCT FROM OLD.method OR NEW.created_at IS DISTINCT FROM OLD.created_at
           OR NEW.retry_of IS DISTINCT FROM OLD.retry_of THEN
          RAISE EXCEPTION 'refund % is written once: its money columns never change', OLD.id USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.status <> 'pending' AND NEW.status IS DISTINCT FROM OLD.status THEN
          RAISE EXCEPTION 'refund % is % and final', OLD.id, OLD.status USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.platform_refund_id IS NOT NULL AND NEW.platform_refund_id IS DISTINCT FROM OLD.platform_refund_id THEN
          RAISE EXCEPTION 'refund % already has platform refund id %', OLD.id, OLD.platform_refund_id USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER refunds_written_once BEFORE UPDATE OR DELETE ON refunds FOR EACH ROW EXECUTE FUNCTION refunds_written_once()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX platform_refunds_recon_idx`);
    await q.query(`DROP TABLE refunds`);
    await q.query(`DROP FUNCTION refunds_written_once()`);
    await q.query(`DROP TABLE return_lines`);
    await q.query(`DROP TABLE return_cases`);
  }
}
