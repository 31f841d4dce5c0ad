import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The data the agent KPI sheet reads that nothing recorded before [002 售前客服绩效核标准]:
 * - order_contacts: who was in contact with the customer of an order and when (订单归属; the
 *   20-minute contact of an unpaid order, 值班流失单);
 * - audit_findings: order-audit errors a supervisor found (后台审单失误), beside the ones claims record;
 * - sla_breaches: every overdue mark of a case with its assignee then (the case index keeps only the
 *   latest mark and clears it on the next transition);
 * - case_index.attributed_agent_id: the order's attributed agent when a case about it was opened.
 */
export class AgentKpis1764220000000 implements MigrationInterface {
  name = 'AgentKpis1764220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_contacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        order_id uuid NOT NULL REFERENCES orders(id),
        staff_id uuid NOT NULL REFERENCES staff(id),
        contacted_at timestamptz NOT NULL,
        -- [002 订单归属] the agent only helped (changed the price, nothing material) a deal another agent had agreed
        assist_only boolean NOT NULL DEFAULT false,
        -- [002 订单归属 3] after payment only a contact that changed the order (the customer bought more) counts
        order_changed boolean NOT NULL DEFAULT false,
        note text CHECK (char_length(note) <= 2000),
        recorded_by uuid REFERENCES staff(id),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX order_contacts_order_idx ON order_contacts (order_id, contacted_at)`);

    await q.query(`
      CREATE TABLE audit_findings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        agent_id uuid NOT NULL REFERENCES staff(id),
        severity text NOT NULL CHECK (severity IN ('serious','general')),
        note text NOT NULL CHECK (char_length(note) BETWEEN 1 AND 2000),
        order_id uuid REFERENCES orders(id),
        found_at timestamptz NOT NULL,
        recorded_by uuid REFERENCES staff(id),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_findings_agent_idx ON audit_findings (merchant_id, agent_id, found_at)`);
    await q.query(`CREATE INDEX audit_findings_page_idx ON audit_findings (merchant_id, found_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE sla_breaches (
        id bigserial PRIMARY KEY,
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        shop_id uuid,
        machine text NOT NULL,
        case_id uuid NOT NULL,
        status text NOT NULL,
        assignee_id uuid,
        due_at timestamptz,
        marked_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX sla_breaches_assignee_idx ON sla_breaches (merchant_id, assignee_id, marked_at)`);
    // The marks standing today (their history before this migration was not kept).
    await q.query(`
      INSERT INTO sla_breaches (merchant_id, shop_id, machine, case_id, status, assignee_id, due_at, marked_at)
      SELECT merchant_id, shop_id, machine, case_id, status, assignee_id, due_at, overdue_at
        FROM case_index WHERE kind = 'case' AND overdue_at IS NOT NULL`);

    await q.query(`ALTER TABLE case_index ADD COLUMN attributed_agent_id uuid`);
    // Set once, when the case is first linked to an order: a later change of the order's
    // attribution does not move a case already opened.
    await q.query(`
      CREATE FUNCTION case_index_attributed_agent() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.kind = 'case' AND NEW.order_id IS NOT NULL AND NEW.attributed_agent_id IS NULL
           AND (TG_OP = 'INSERT' OR OLD.order_id IS DISTINCT FROM NEW.order_id) THEN
          SELECT assignee_id INTO NEW.attributed_agent_id FROM orders WHERE id = NEW.order_id;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER case_index_attributed_agent BEFORE INSERT OR UPDATE OF order_id ON case_index
      FOR EACH ROW EXECUTE FUNCTION case_index_attributed_agent()`);
    await q.query(`
      UPDATE case_index ci SET attributed_agent_id = o.assignee_id
        FROM orders o WHERE ci.kind = 'case' AND ci.order_id = o.id AND o.assignee_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER case_index_attributed_agent ON case_index`);
    await q.query(`DROP FUNCTION case_index_attributed_agent()`);
    await q.query(`ALTER TABLE case_index DROP COLUMN attributed_agent_id`);
    await q.query(`DROP TABLE sla_breaches`);
    await q.query(`DROP TABLE audit_findings`);
    await q.query(`DROP TABLE order_contacts`);
  }
}
