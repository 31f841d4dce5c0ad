import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pairing of internal and platform refunds is kept on the rows (SPEC §12, §13: the
 * reconciliation report is a range scan, not a pairing of the whole history per request):
 * `refunds.matched_platform_refund_id` / `platform_refunds.matched_refund_id` and the match result
 * on both sides. A refund also carries what the report shows of its partner (the platform's id,
 * amount and time: immutable rows, copied when paired), so a period of internal refunds is read
 * without touching platform_refunds. src/refunds/refund-pairing.ts maintains all of it when either
 * side arrives.
 *
 * The backfill below applies the matching rule the report used until now (docs/refunds.md) to
 * every existing row, so stored pairs equal what the old report computed:
 *  1. same shop and same platform refund id;
 *  2. otherwise internal refunds without a platform id are paired with the platform refunds
 *     left from rule 1 by (shop, platform order id, amount): the k-th of each side in time order.
 * Exported for the test that checks it against that rule.
 */
export const BACKFILL_PAIRING_SQL = `
WITH i AS (
  SELECT r.id, r.shop_id, r.amount, r.platform_refund_id, r.created_at, o.platform_order_id
    FROM refunds r JOIN orders o ON o.id = r.order_id
   WHERE r.status IN ('pending', 'succeeded')
),
by_id AS (
  SELECT i.id AS iid, p.id AS pid FROM i JOIN platform_refunds p ON p.shop_id = i.shop_id AND p.platform_refund_id = i.platform_refund_id
),
i_rest AS (
  SELECT i.id, i.shop_id, i.platform_order_id, i.amount,
         row_number() OVER (PARTITION BY i.shop_id, i.platform_order_id, i.amount ORDER BY i.created_at, i.id) AS k
    FROM i WHERE i.platform_refund_id IS NULL
),
p_rest AS (
  SELECT p.id, p.shop_id, p.platform_order_id, p.amount,
         row_number() OVER (PARTITION BY p.shop_id, p.platform_order_id, p.amount ORDER BY p.refunded_at, p.id) AS k
    FROM platform_refunds p WHERE NOT EXISTS (SELECT 1 FROM by_id b WHERE b.pid = p.id)
),
pairs AS MATERIALIZED (
  SELECT iid, pid FROM by_id
  UNION ALL
  SELECT ir.id, pr.id FROM i_rest ir
    JOIN p_rest pr ON pr.shop_id = ir.shop_id AND pr.platform_order_id = ir.platform_order_id AND pr.amount = ir.amount AND pr.k = ir.k
),
result AS MATERIALIZED (
  SELECT pa.iid, pa.pid, p.platform_refund_id, p.amount, p.refunded_at,
         CASE WHEN r.amount <> p.amount OR r.currency <> p.currency THEN 'amount_mismatch' ELSE 'matched' END AS match_result
    FROM pairs pa JOIN refunds r ON r.id = pa.iid JOIN platform_refunds p ON p.id = pa.pid
),
paired_platform AS (
  UPDATE platform_refunds p SET matched_refund_id = x.iid, match_result = x.match_result FROM result x WHERE p.id = x.pid
)
UPDATE refunds r
   SET matched_platform_refund_id = x.pid, matched_platform_ref = x.platform_refund_id, matched_platform_amount = x.amount,
       matched_platform_refunded_at = x.refunded_at, match_result = COALESCE(x.match_result, 'missing_on_platform')
  FROM refunds r0 LEFT JOIN result x ON x.iid = r0.id
 WHERE r.id = r0.id AND r0.status IN ('pending', 'succeeded')`;

export class RefundPairing1764090000000 implements MigrationInterface {
  name = 'RefundPairing1764090000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE refunds
        ADD COLUMN matched_platform_refund_id uuid,
        ADD COLUMN matched_platform_ref text,
        ADD COLUMN matched_platform_amount bigint,
        ADD COLUMN matched_platform_refunded_at timestamptz,
        -- NULL exactly when the refund moved no money (failed): it is not reconciled
        ADD COLUMN match_result text CHECK (match_result IN ('matched', 'amount_mismatch', 'missing_on_platform'))`);
    await q.query(`
      ALTER TABLE platform_refunds
        ADD COLUMN matched_refund_id uuid,
        ADD COLUMN match_result text NOT NULL DEFAULT 'missing_internally'
          CHECK (match_result IN ('matched', 'amount_mismatch', 'missing_internally'))`);
    // The written-once trigger guards money and status columns, which the backfill does not
    // touch; off for this statement only (the ALTERs above hold the table locks), it saves a
    // PL/pgSQL call per refund. Constraints and indexes follow the backfill: one pass each.
    await q.query(`ALTER TABLE refunds DISABLE TRIGGER refunds_written_once`);
    await q.query(BACKFILL_PAIRING_SQL);
    await q.query(`ALTER TABLE refunds ENABLE TRIGGER refunds_written_once`);
    await q.query(`ALTER TABLE refunds ADD CONSTRAINT refunds_matched_platform_fk FOREIGN KEY (matched_platform_refund_id) REFERENCES platform_refunds(id)`);
    await q.query(`ALTER TABLE platform_refunds ADD CONSTRAINT platform_refunds_matched_fk FOREIGN KEY (matched_refund_id) REFERENCES refunds(id)`);
    // One partner each. Deferrable: a re-pairing inside an order swaps partners within one
    // statement, which is unique at its end but not row by row.
    await q.query(`ALTER TABLE refunds ADD CONSTRAINT refunds_matched_platform_uq UNIQUE (matched_platform_refund_id) DEFERRABLE INITIALLY IMMEDIATE`);
    await q.query(`ALTER TABLE platform_refunds ADD CONSTRAINT platform_refunds_matched_uq UNIQUE (matched_refund_id) DEFERRABLE INITIALLY IMMEDIATE`);
    // The report's range scans, in report order: internal refunds that moved money, and the
    // platform refunds nobody here made. They replace the recon indexes of the per-request pairing.
    await q.query(`CREATE INDEX refunds_report_idx ON refunds (merchant_id, created_at, id) WHERE match_result IS NOT NULL`);
    await q.query(`CREATE INDEX refunds_report_shop_idx ON refunds (shop_id, created_at, id) WHERE match_result IS NOT NULL`);
    await q.query(`CREATE INDEX platform_refunds_report_idx ON platform_refunds (merchant_id, refunded_at, id) WHERE matched_refund_id IS NULL`);
    await q.query(`CREATE INDEX platform_refunds_report_shop_idx ON platform_refunds (shop_id, refunded_at, id) WHERE matched_refund_id IS NULL`);
    await q.query(`DROP INDEX refunds_recon_idx`);
    await q.query(`DROP INDEX platform_refunds_recon_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX platform_refunds_recon_idx ON platform_refunds (merchant_id, shop_id, refunded_at)`);
    await q.query(`CREATE INDEX refunds_recon_idx ON refunds (merchant_id, shop_id, created_at)`);
    await q.query(`ALTER TABLE platform_refunds DROP COLUMN matched_refund_id, DROP COLUMN match_result`);
    await q.query(`
      ALTER TABLE refunds DROP COLUMN matched_platform_refund_id, DROP COLUMN matched_platform_ref, DROP COLUMN matched_platform_amount,
                          DROP COLUMN matched_platform_refunded_at, DROP COLUMN match_result`);
  }
}
