import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Claims (SPEC §8): broken, leaking, wrong and missing goods with photo evidence, a ruling, a
 * resolution and the carrier recovery. Beside them what the resolution leaves for others: audit
 * errors the KPI sheet reads ([002] 绩效 七 后台审单失误), inventory corrections for the stock system
 * ([002] 修正库存) and gifts the customer's next order carries ([002] 下次以赠品补偿).
 */
export class Claims1764120000000 implements MigrationInterface {
  name = 'Claims1764120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE claims (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        shop_id uuid NOT NULL REFERENCES shops(id),
        order_id uuid NOT NULL REFERENCES orders(id),
        status text NOT NULL CHECK (status IN ('reported','awaiting_evidence','evidence_received','verified','rejected','resolved','recovering','closed')),
        version integer NOT NULL,
        due_at timestamptz,
        assignee_id uuid REFERENCES staff(id),
        cost bigint NOT NULL DEFAULT 0 CHECK (cost >= 0),
        recovered bigint NOT NULL DEFAULT 0 CHECK (recovered >= 0),
        type text NOT NULL CHECK (type IN ('broken','leak_minor','leak_major','wrong_item','missing_item')),
        currency char(3) NOT NULL,
        tracking_no text,
        carrier text,
        description text,
        reported_at timestamptz NOT NULL,
        evidence_received_at timestamptz,
        suspected_reuse_of uuid REFERENCES claims(id),
        authentic boolean,
        responsibility text CHECK (responsibility IN ('review_error','warehouse_error')),
        responsible_staff_id uuid REFERENCES staff(id),
        shipped_weight_grams integer CHECK (shipped_weight_grams > 0),
        expected_weight_grams integer CHECK (expected_weight_grams > 0),
        verified_by uuid REFERENCES staff(id),
        verified_at timestamptz,
        reject_reason text,
        resolution text CHECK (resolution IN ('reship','refund','gift_next_order')),
        loss_share_bp integer CHECK (loss_share_bp BETWEEN 1 AND 10000),
        refund_amount bigint CHECK (refund_amount > 0),
        reship_order_id uuid REFERENCES orders(id),
        reship_cost bigint CHECK (reship_cost >= 0),
        freight_cost bigint CHECK (freight_cost >= 0),
        gift_cost bigint CHECK (gift_cost >= 0),
        gift_note text,
        resolved_at timestamptz,
        carrier_claim_amount bigint CHECK (carrier_claim_amount > 0),
        carrier_claim_reference text,
        carrier_claimed_at timestamptz,
        recovery_outcome text CHECK (recovery_outcome IN ('full','partial','none')),
        closed_at timestamptz,
        created_by uuid REFERENCES staff(id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX claims_page_idx ON claims (merchant_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX claims_status_idx ON claims (merchant_id, status, due_at)`);
    await q.query(`CREATE INDEX claims_order_idx ON claims (order_id)`);

    // Affected lines, addressed like return lines.
    await q.query(`
      CREATE TABLE claim_lines (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        claim_id uuid NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
        order_line_id uuid NOT NULL REFERENCES order_lines(id),
        quantity integer NOT NULL CHECK (quantity > 0),
        UNIQUE (claim_id, order_line_id)
      )`);

    // [002] 绩效 七: serious errors cost 2 points, general ones 0.5; the KPI sheet counts these rows.
    await q.query(`
      CREATE TABLE audit_errors (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        staff_id uuid NOT NULL REFERENCES staff(id),
        claim_id uuid NOT NULL REFERENCES claims(id),
        responsibility text NOT NULL CHECK (responsibility IN ('review_error','warehouse_error')),
        severity text NOT NULL CHECK (severity IN ('serious','general')),
        kind text NOT NULL CHECK (kind IN ('wrong_goods','wrong_amount','cod_error','remark_mismatch','wrong_courier','missed_sample_gift')),
        at timestamptz NOT NULL,
        UNIQUE (claim_id)
      )`);
    await q.query(`CREATE INDEX audit_errors_staff_idx ON audit_errors (merchant_id, staff_id, at)`);

    // [002] 修正库存: read by the stock system (also sent as an inventory.corrected event).
    await q.query(`
      CREATE TABLE inventory_corrections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        shop_id uuid NOT NULL REFERENCES shops(id),
        claim_id uuid NOT NULL REFERENCES claims(id),
        sku text NOT NULL CHECK (char_length(sku) BETWEEN 1 AND 100),
        quantity integer NOT NULL CHECK (quantity > 0),
        direction text NOT NULL CHECK (direction IN ('in','out')),
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX inventory_corrections_merchant_idx ON inventory_corrections (merchant_id, at)`);
    await q.query(`CREATE INDEX inventory_corrections_claim_idx ON inventory_corrections (claim_id)`);

    // [002] 少量渗漏: a gift promised on the customer's next order, recognised by phone (E.164).
    await q.query(`
      CREATE TABLE customer_gifts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        claim_id uuid NOT NULL UNIQUE REFERENCES claims(id),
        source_order_id uuid NOT NULL REFERENCES orders(id),
        customer_phone_e164 text NOT NULL,
        gift_cost bigint NOT NULL CHECK (gift_cost >= 0),
        currency char(3) NOT NULL,
        note text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','given')),
        given_order_id uuid REFERENCES orders(id),
        given_at timestamptz,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ((status = 'given') = (given_order_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX customer_gifts_pending_idx ON customer_gifts (merchant_id, customer_phone_e164) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX customer_gifts_given_idx ON customer_gifts (given_order_id) WHERE given_order_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM case_index WHERE machine = 'claim'`);
    await q.query(`DROP TABLE customer_gifts`);
    await q.query(`DROP TABLE inventory_corrections`);
    await q.query(`DROP TABLE audit_errors`);
    await q.query(`DROP TABLE claim_lines`);
    await q.query(`DROP TABLE claims`);
  }
}
