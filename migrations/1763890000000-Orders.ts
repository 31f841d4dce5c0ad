import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders from shop platforms (SPEC §5): orders and their lines, the webhook inbox, platform
 * refunds, COD confirmation calls, shipments (created by `ship`; the logistics module extends it)
 * and the small tasks table timers put work on.
 */
export class Orders1763890000000 implements MigrationInterface {
  name = 'Orders1763890000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        shop_id uuid NOT NULL REFERENCES shops(id),
        status text NOT NULL CHECK (status IN ('pending_payment','paid','on_hold','audited','confirmed','shipped','delivered','completed','cancelled')),
        version integer NOT NULL,
        due_at timestamptz,
        platform text NOT NULL,
        platform_order_id text NOT NULL,
        order_number text NOT NULL,
        payment_method text NOT NULL CHECK (payment_method IN ('prepaid','cod')),
        platform_status text,
        currency char(3) NOT NULL,
        items_amount bigint NOT NULL,
        discount_amount bigint NOT NULL DEFAULT 0,
        shipping_amount bigint NOT NULL DEFAULT 0,
        tax_amount bigint NOT NULL DEFAULT 0,
        other_amount bigint NOT NULL DEFAULT 0,
        total_amount bigint NOT NULL,
        customer_name text,
        customer_phone text,
        customer_email text,
        ship_country text,
        ship_province text,
        ship_city text,
        ship_district text,
        ship_address text,
        ship_postcode text,
        note text,
        carrier text,
        hold_reason text,
        cancel_reason text,
        placed_at timestamptz NOT NULL,
        paid_at timestamptz,
        delivered_at timestamptz,
        platform_updated_at timestamptz NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One row per platform order: the key that makes concurrent deliveries converge.
    await q.query(`CREATE UNIQUE INDEX orders_platform_uq ON orders (shop_id, platform_order_id)`);
    await q.query(`CREATE INDEX orders_merchant_page_idx ON orders (merchant_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX orders_merchant_status_idx ON orders (merchant_id, status, due_at)`);
    await q.query(`CREATE INDEX orders_number_idx ON orders (merchant_id, order_number)`);
    await q.query(`CREATE INDEX orders_phone_idx ON orders (merchant_id, customer_phone)`);

    await q.query(`
      CREATE TABLE order_lines (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        order_id uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        line_no integer NOT NULL,
        platform_line_id text,
        sku text,
        title text NOT NULL,
        quantity integer NOT NULL,
        unit_price bigint NOT NULL,
        amount bigint NOT NULL,
        UNIQUE (order_id, line_no)
      )`);

    await q.query(`
      CREATE TABLE shipments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        shop_id uuid NOT NULL REFERENCES shops(id),
        order_id uuid REFERENCES orders(id),
        carrier text NOT NULL,
        tracking_no text NOT NULL,
        origin_province text,
        dest_province text,
        status text NOT NULL DEFAULT 'pending_pickup',
        raw_status text,
        source text NOT NULL DEFAULT 'manual' CHECK (source IN ('order','platform','manual')),
        last_event_at timestamptz,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX shipments_tracking_uq ON shipments (merchant_id, lower(carrier), tracking_no)`);
    await q.query(`CREATE INDEX shipments_order_idx ON shipments (order_id)`);
    await q.query(`CREATE INDEX shipments_tracking_idx ON shipments (merchant_id, tracking_no)`);

    // The inbox: every accepted delivery, exactly as received, with what processing made of it.
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        shop_id uuid NOT NULL REFERENCES shops(id),
        platform text NOT NULL,
        topic text NOT NULL,
        delivery_id text NOT NULL,
        event_at timestamptz,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        raw_body bytea NOT NULL,
        status text NOT NULL DEFAULT 'received' CHECK (status IN ('received','processed','ignored','unhandled','failed')),
        result jsonb,
        order_id uuid REFERENCES orders(id),
        attempts integer NOT NULL DEFAULT 0,
        duplicates integer NOT NULL DEFAULT 0,
        replays integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX webhook_deliveries_dedupe_uq ON webhook_deliveries (shop_id, delivery_id)`);
    await q.query(`CREATE INDEX webhook_deliveries_page_idx ON webhook_deliveries (merchant_id, created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE platform_refunds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        shop_id uuid NOT NULL REFERENCES shops(id),
        order_id uuid REFERENCES orders(id),
        platform_order_id text NOT NULL,
        platform_refund_id text NOT NULL,
        amount bigint NOT NULL,
        currency char(3) NOT NULL,
        reason text,
        refunded_at timestamptz NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX platform_refunds_uq ON platform_refunds (shop_id, platform_refund_id)`);
    await q.query(`CREATE INDEX platform_refunds_order_idx ON platform_refunds (shop_id, platform_order_id)`);

    // [004] 货到付款: the call that confirms a cash-on-delivery order before it is audited.
    await q.query(`
      CREATE TABLE order_confirmation_calls (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        order_id uuid NOT NULL REFERENCES orders(id),
        staff_id uuid REFERENCES staff(id),
        outcome text NOT NULL CHECK (outcome IN ('confirmed','no_answer','refused','changed')),
        note text,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX order_confirmation_calls_order_idx ON order_confirmation_calls (order_id, created_at)`);

    await q.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        shop_id uuid REFERENCES shops(id),
        kind text NOT NULL,
        subject_type text NOT NULL,
        subject_id uuid NOT NULL,
        title text NOT NULL,
        dedupe_key text,
        due_at timestamptz,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','done')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        done_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX tasks_dedupe_uq ON tasks (merchant_id, kind, dedupe_key) WHERE dedupe_key IS NOT NULL`);
    await q.query(`CREATE INDEX tasks_page_idx ON tasks (merchant_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX tasks_subject_idx ON tasks (subject_type, subject_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tasks`);
    await q.query(`DROP TABLE order_confirmation_calls`);
    await q.query(`DROP TABLE platform_refunds`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE shipments`);
    await q.query(`DROP TABLE order_lines`);
    await q.query(`DROP TABLE orders`);
  }
}
