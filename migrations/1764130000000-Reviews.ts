import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reviews and their bad-review recovery (SPEC §9): the review row is the case. One row per
 * platform review of a shop (dedup by the platform's review id); the rating before and after a
 * revision are both kept for the reports. Public replies are kept per reply with how each
 * reached the platform (sent through the adapter, or to be pasted by hand).
 */
export class Reviews1764130000000 implements MigrationInterface {
  name = 'Reviews1764130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        shop_id uuid NOT NULL REFERENCES shops(id),
        order_id uuid REFERENCES orders(id),
        status text NOT NULL CHECK (status IN ('no_action','open','contacting','reached','diagnosed','remedy_offered',
                                               'awaiting_revision','escalated','closed')),
        version integer NOT NULL,
        assignee_id uuid REFERENCES staff(id),
        due_at timestamptz,
        cost bigint NOT NULL DEFAULT 0 CHECK (cost >= 0),
        recovered bigint NOT NULL DEFAULT 0 CHECK (recovered >= 0),
        source text NOT NULL CHECK (source IN ('platform','staff')),
        platform_review_id text,
        platform_order_id text,
        currency char(3) NOT NULL,
        rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
        rating_before smallint NOT NULL CHECK (rating_before BETWEEN 1 AND 5),
        rating_after smallint CHECK (rating_after BETWEEN 1 AND 5),
        content text NOT NULL,
        reviewed_at timestamptz NOT NULL,
        platform_updated_at timestamptz,
        first_contact_due_at timestamptz,
        first_contacted_at timestamptz,
        contact_attempts integer NOT NULL DEFAULT 0,
        last_contact_at timestamptz,
        last_contact_outcome text CHECK (last_contact_outcome IN ('reached','no_answer','refused')),
        last_contact_channel text CHECK (last_contact_channel IN ('phone','chat','sms','email')),
        next_attempt_at timestamptz,
        root_cause text CHECK (root_cause IN ('product_quality','logistics','service','price','description_mismatch','other')),
        service_caused boolean,
        diagnosis text,
        responsible_staff_id uuid REFERENCES staff(id),
        remedy_type text CHECK (remedy_type IN ('apology','refund','gift','reship')),
        remedy_amount bigint CHECK (remedy_amount >= 0),
        remedy_description text,
        remedy_cap bigint,
        remedy_over_cap boolean,
        remedy_offered_by uuid REFERENCES staff(id),
        remedy_offered_at timestamptz,
        remedy_accepted_at timestamptz,
        refund_id uuid REFERENCES refunds(id),
        extortion_flagged_at timestamptz,
        extortion_flagged_by uuid REFERENCES staff(id),
        extortion_description text,
        extortion_demanded_amount bigint,
        public_reply text,
        public_reply_at timestamptz,
        public_reply_by uuid REFERENCES staff(id),
        outcome text CHECK (outcome IN ('revised','declined','unrevised','unreached','extortion_refused')),
        close_reason text,
        revised_at timestamptz,
        closed_at timestamptz,
        created_by uuid REFERENCES staff(id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX reviews_platform_uq ON reviews (shop_id, platform_review_id) WHERE platform_review_id IS NOT NULL`);
    await q.query(`CREATE INDEX reviews_page_idx ON reviews (merchant_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX reviews_status_idx ON reviews (merchant_id, status, due_at)`);
    await q.query(`CREATE INDEX reviews_order_idx ON reviews (order_id) WHERE order_id IS NOT NULL`);
    // Worklist: neutral/bad reviews still without a public reply, oldest first (SPEC §9/§11).
    await q.query(`CREATE INDEX reviews_unreplied_idx ON reviews (merchant_id, reviewed_at) WHERE public_reply_at IS NULL AND rating_before <= 3`);

    await q.query(`
      CREATE TABLE review_replies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        review_id uuid NOT NULL REFERENCES reviews(id),
        text text NOT NULL,
        delivery text NOT NULL CHECK (delivery IN ('platform','manual')),
        status text NOT NULL CHECK (status IN ('queued','sent','failed','manual')),
        manual_reason text,
        failure_reason text,
        platform_reply_id text,
        sent_at timestamptz,
        created_by uuid REFERENCES staff(id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX review_replies_review_idx ON review_replies (review_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE review_replies`);
    await q.query(`DROP TABLE reviews`);
  }
}
