import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Complaints (SPEC §10, the six steps of [000]) and follow-up calls (回访): one follow-up per
 * resolution of a case of any module, its result kept for the satisfaction reports; an
 * unsatisfied result opens a complaint linked to the case it followed.
 */
export class ComplaintsAndFollowUps1764140000000 implements MigrationInterface {
  name = 'ComplaintsAndFollowUps1764140000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE complaints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        shop_id uuid NOT NULL REFERENCES shops(id),
        order_id uuid REFERENCES orders(id),
        status text NOT NULL CHECK (status IN ('received','investigating','explained','plan_proposed','approved','implemented','awaiting_follow_up','closed')),
        version integer NOT NULL,
        due_at timestamptz,
        assignee_id uuid REFERENCES staff(id),
        reported_at timestamptz NOT NULL,
        complainant_name text NOT NULL,
        complainant_phone text,
        complainant_phone_e164 text,
        channel text NOT NULL CHECK (channel IN ('phone','chat','platform','email','other')),
        category text NOT NULL CHECK (category IN ('product_quality','logistics','service_attitude','wrong_or_missing','price','after_sales','other')),
        severity text NOT NULL CHECK (severity IN ('normal','serious')),
        content text NOT NULL,
        -- the case whose follow-up call was unsatisfied, when the complaint came from one
        source_module text CHECK (source_module ~ '^[a-z][a-z0-9_]{0,62}$'),
        source_case_id uuid,
        follow_up_id uuid,
        founded boolean,
        assessment text,
        assessed_by uuid REFERENCES staff(id),
        first_response_at timestamptz,
        department text CHECK (department IN ('service','warehouse','logistics','product','other')),
        responsible_staff_id uuid REFERENCES staff(id),
        plan text,
        plan_cost_estimate bigint CHECK (plan_cost_estimate >= 0),
        proposed_by uuid REFERENCES staff(id),
        plan_rejection_reason text,
        approved_by uuid REFERENCES staff(id),
        approved_at timestamptz,
        implemented_at timestamptz,
        acceptance text CHECK (acceptance IN ('signed','confirmed')),
        confirmed_at timestamptz,
        follow_up_result text CHECK (follow_up_result IN ('satisfied','neutral','unsatisfied')),
        follow_up_comment text,
        followed_up_at timestamptz,
        reopen_count integer NOT NULL DEFAULT 0,
        currency char(3) NOT NULL DEFAULT 'CNY',
        cost bigint NOT NULL DEFAULT 0 CHECK (cost >= 0),
        recovered bigint NOT NULL DEFAULT 0 CHECK (recovered >= 0),
        created_by uuid REFERENCES staff(id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((source_module IS NULL) = (source_case_id IS NULL))
      )`);
    await q.query(`CREATE INDEX complaints_page_idx ON complaints (merchant_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX complaints_order_idx ON complaints (order_id) WHERE order_id IS NOT NULL`);
    await q.query(`CREATE INDEX complaints_source_idx ON complaints (source_module, source_case_id) WHERE source_case_id IS NOT NULL`);
    // The worklist's first section: serious complaints not yet closed [000 视情节轻重及时上报].
    await q.query(`CREATE INDEX complaints_serious_idx ON complaints (merchant_id, reported_at) WHERE severity = 'serious' AND status <> 'closed'`);
    // 顾客投诉分类统计表: counts by category over a period.
    await q.query(`CREATE INDEX complaints_category_idx ON complaints (merchant_id, reported_at, category)`);

    await q.query(`
      CREATE TABLE follow_ups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        shop_id uuid NOT NULL REFERENCES shops(id),
        order_id uuid REFERENCES orders(id),
        status text NOT NULL CHECK (status IN ('open','done','dismissed')),
        version integer NOT NULL,
        due_at timestamptz,
        assignee_id uuid REFERENCES staff(id),
        -- the case followed: its machine name, id and REST collection
        source_module text NOT NULL CHECK (source_module ~ '^[a-z][a-z0-9_]{0,62}$'),
        source_case_id uuid NOT NULL,
        source_collection text NOT NULL,
        -- 1 for the first resolution of the case; a case reopened and resolved again gets round 2
        round integer NOT NULL CHECK (round >= 1),
        -- the case's version at the resolution: a repeated notice of the same transition finds it
        source_version integer NOT NULL,
        resolved_at timestamptz NOT NULL,
        result text CHECK (result IN ('satisfied','neutral','unsatisfied')),
        comment text,
        recorded_at timestamptz,
        recorded_by uuid REFERENCES staff(id),
        dismiss_reason text,
        complaint_id uuid REFERENCES complaints(id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'done') = (result IS NOT NULL)),
        CHECK ((status = 'dismissed') = (dismiss_reason IS NOT NULL))
      )`);
    // One follow-up per resolution of a case, whatever notices twice.
    await q.query(`CREATE UNIQUE INDEX follow_ups_source_round_uq ON follow_ups (source_module, source_case_id, round)`);
    await q.query(`CREATE INDEX follow_ups_page_idx ON follow_ups (merchant_id, created_at DESC, id DESC)`);
    // Satisfaction reports: results recorded in a period, by module of the case followed.
    await q.query(`CREATE INDEX follow_ups_results_idx ON follow_ups (merchant_id, recorded_at, source_module) WHERE result IS NOT NULL`);
    await q.query(`ALTER TABLE complaints ADD CONSTRAINT complaints_follow_up_fk FOREIGN KEY (follow_up_id) REFERENCES follow_ups(id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE complaints DROP CONSTRAINT complaints_follow_up_fk`);
    await q.query(`DROP TABLE follow_ups`);
    await q.query(`DROP TABLE complaints`);
  }
}
