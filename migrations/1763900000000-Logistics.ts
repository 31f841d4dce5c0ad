import type { MigrationInterface, QueryRunner } from 'typeorm';

// Province aliases exactly as in src/orders/provinces.ts (provinceKey); a test checks the two agree.
const PROVINCE_ALIASES: ReadonlyArray<readonly [alias: string, zh: string]> = [
  ['云南', '云南'], ['yunnan', '云南'], ['cn1', '云南'], ['北京', '北京'], ['beijing', '北京'], ['cn2', '北京'], ['天津', '天津'], ['tianjin', '天津'], ['cn3', '天津'],
  ['河北', '河北'], ['hebei', '河北'], ['cn4', '河北'], ['山西', '山西'], ['shanxi', '山西'], ['cn5', '山西'], ['内蒙古', '内蒙古'], ['inner mongolia', '内蒙古'],
  ['innermongolia', '内蒙古'], ['cn6', '内蒙古'], ['辽宁', '辽宁'], ['liaoning', '辽宁'], ['cn7', '辽宁'], ['吉林', '吉林'], ['jilin', '吉林'], ['cn8', '吉林'],
  ['黑龙江', '黑龙江'], ['heilongjiang', '黑龙江'], ['cn9', '黑龙江'], ['上海', '上海'], ['shanghai', '上海'], ['cn10', '上海'], ['江苏', '江苏'], ['jiangsu', '江苏'],
  ['cn11', '江苏'], ['浙江', '浙江'], ['zhejiang', '浙江'], ['cn12', '浙江'], ['安徽', '安徽'], ['anhui', '安徽'], ['cn13', '安徽'], ['福建', '福建'], ['fujian', '福建'],
  ['cn14', '福建'], ['江西', '江西'], ['jiangxi', '江西'], ['cn15', '江西'], ['山东', '山东'], ['shandong', '山东'], ['cn16', '山东'], ['河南', '河南'], ['henan', '河南'],
  ['cn17', '河南'], ['湖北', '湖北'], ['hubei', '湖北'], ['cn18', '湖北'], ['湖南', '湖南'], ['hunan', '湖南'], ['cn19', '湖南'], ['广东', '广东'], ['guangdong', '广东'],
  ['cn20', '广东'], ['广西', '广西'], ['guangxi', '广西'], ['cn21', '广西'], ['海南', '海南'], ['hainan', '海南'], ['cn22', '海南'], ['重庆', '重庆'], ['chongqing', '重庆'],
  ['cn23', '重庆'], ['四川', '四川'], ['sichuan', '四川'], ['cn24', '四川'], ['贵州', '贵州'], ['guizhou', '贵州'], ['cn25', '贵州'], ['陕西', '陕西'], ['shaanxi', '陕西'],
  ['cn26', '陕西'], ['甘肃', '甘肃'], ['gansu', '甘肃'], ['cn27', '甘肃'], ['青海', '青海'], ['qinghai', '青海'], ['cn28', '青海'], ['宁夏', '宁夏'], ['ningxia', '宁夏'],
  ['cn29', '宁夏'], ['澳门', '澳门'], ['macao', '澳门'], ['cn30', '澳门'], ['西藏', '西藏'], ['tibet', '西藏'], ['cn31', '西藏'], ['新疆', '新疆'], ['xinjiang', '新疆'],
  ['cn32', '新疆'], ['香港', '香港'], ['hong kong', '香港'], ['hongkong', '香港'], ['台湾', '台湾'], ['taiwan', '台湾'],
  ['內蒙古', '内蒙古'], ['macau', '澳门'], ['xizang', '西藏'], ['nei mongol', '内蒙古'],
];

/** The alias table as one jsonb constant: a key lookup per name instead of a scan of the list. */
const ALIASES_JSON = JSON.stringify(Object.fromEntries(PROVINCE_ALIASES));

const TRACKING_STATUSES = `'pending_pickup','in_transit','out_for_delivery','delivered','failed_attempt','returning','returned','exception'`;

/**
 * Logistics tracking (SPEC §6): tracking events of shipments, the carrier push inbox, the
 * logistics exception cases, and what the stale scan needs on `shipments` (a same-province flag
 * and a partial index on the instant of the last movement). Orders get a `reship_of` link.
 */
export class Logistics1763900000000 implements MigrationInterface {
  name = 'Logistics1763900000000';

  async up(q: QueryRunner): Promise<void> {
    // The comparison key of a province name, the SQL twin of provinceKey() so that a stored
    // generated column can say whether a parcel stays in its province ([002] 同省 / 跨省).
    // The comparison key of a province name, the SQL twin of provinceKey(), so that a stored
    // generated column can say whether a parcel stays in its province ([002] 同省 / 跨省).
    // plpgsql with cached expression plans and a jsonb lookup: microseconds a row on the insert path.
    await q.query(`
      CREATE FUNCTION logistics_province_key(p text) RETURNS text
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      DECLARE
        s text;
      BEGIN
        IF p IS NULL THEN RETURN NULL; END IF;
        s := lower(regexp_replace(p, '^\\s+|\\s+$', '', 'g'));
        IF s = '' THEN RETURN NULL; END IF;
        -- WooCommerce labels read "Guangdong / 广东": the part after the last slash
        IF strpos(s, '/') > 0 THEN s := regexp_replace(regexp_replace(s, '^.*/', ''), '^\\s+|\\s+$', '', 'g'); END IF;
        s := regexp_replace(s, '(壮族自治区|回族自治区|维吾尔自治区|维吾尔族自治区|自治区|特别行政区|省|市)$', '');
        s := regexp_replace(s, '\\s+(province|municipality|autonomous region|zhuang autonomous region|hui autonomous region|uygur autonomous region|uyghur autonomous region|sar)$', '');
        s := regexp_replace(s, '\\s+', ' ', 'g');
        RETURN COALESCE('${ALIASES_JSON}'::jsonb ->> s, '${ALIASES_JSON}'::jsonb ->> regexp_replace(s, '\\s+', '', 'g'), s);
      END $$`);

    // Unknown provinces count as different provinces: the longer threshold, fewer false alarms.
    await q.query(`
      ALTER TABLE shipments
        ADD COLUMN same_province boolean GENERATED ALWAYS AS
          (COALESCE(logistics_province_key(origin_province) = logistics_province_key(dest_province), false)) STORED,
        ADD COLUMN last_polled_at timestamptz,
        ADD COLUMN poll_error text`);
    // The stale scan: per merchant and province case, a range on the instant of the last movement,
    // only over parcels still travelling.
    await q.query(`
      CREATE INDEX shipments_stale_idx ON shipments (merchant_id, same_province, (COALESCE(last_event_at, created_at)))
        WHERE status NOT IN ('delivered','returned')`);
    await q.query(`
      CREATE INDEX shipments_poll_idx ON shipments (lower(carrier), last_polled_at NULLS FIRST)
        WHERE status NOT IN ('delivered','returned')`);
    await q.query(`CREATE INDEX shipments_page_idx ON shipments (merchant_id, created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE shipment_events (
        id bigserial PRIMARY KEY,
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        shipment_id uuid NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
        occurred_at timestamptz NOT NULL,
        location text,
        description text NOT NULL,
        status text CHECK (status IN (${TRACKING_STATUSES})),
        raw_code text,
        source text NOT NULL CHECK (source IN ('kuaidi100','generic','poll','manual')),
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Duplicate pushes carry the same events: one row per (shipment, time, text).
    await q.query(`CREATE UNIQUE INDEX shipment_events_uq ON shipment_events (shipment_id, occurred_at, description)`);

    // The carrier push inbox: every authentic push, as received, with what it did.
    await q.query(`
      CREATE TABLE carrier_pushes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        shop_id uuid NOT NULL REFERENCES shops(id),
        provider text NOT NULL CHECK (provider IN ('kuaidi100','generic')),
        carrier text,
        tracking_no text,
        shipment_id uuid REFERENCES shipments(id) ON DELETE SET NULL,
        raw_body bytea NOT NULL,
        result jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX carrier_pushes_shipment_idx ON carrier_pushes (shipment_id, created_at)`);

    await q.query(`
      CREATE TABLE logistics_exceptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        shop_id uuid NOT NULL REFERENCES shops(id),
        order_id uuid REFERENCES orders(id),
        shipment_id uuid NOT NULL REFERENCES shipments(id),
        kind text NOT NULL CHECK (kind IN ('stale','no_outlet','stranded','address_issue','lost','carrier_reported')),
        status text NOT NULL CHECK (status IN ('open','urged','reship_required','reshipped','recalling','closed')),
        version integer NOT NULL,
        due_at timestamptz,
        assignee_id uuid REFERENCES staff(id),
        source text NOT NULL CHECK (source IN ('scan','carrier','staff')),
        reported_at timestamptz NOT NULL,
        silent_since timestamptz,
        description text,
        outcome text CHECK (outcome IN ('resolved','false_alarm','original_returned','original_delivered','written_off')),
        currency char(3) NOT NULL DEFAULT 'CNY',
        cost bigint NOT NULL DEFAULT 0 CHECK (cost >= 0),
        recovered bigint NOT NULL DEFAULT 0 CHECK (recovered >= 0),
        reship_order_id uuid REFERENCES orders(id),
        closed_at timestamptz,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'closed') = (outcome IS NOT NULL))
      )`);
    // At most one open exception per shipment, also under concurrent scans (ON CONFLICT target).
    await q.query(`CREATE UNIQUE INDEX logistics_exceptions_open_uq ON logistics_exceptions (shipment_id) WHERE status <> 'closed'`);
    // "Was this silence already reported?" lookups of the scan.
    await q.query(`CREATE INDEX logistics_exceptions_shipment_idx ON logistics_exceptions (shipment_id, reported_at)`);
    await q.query(`CREATE INDEX logistics_exceptions_page_idx ON logistics_exceptions (merchant_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX logistics_exceptions_status_idx ON logistics_exceptions (merchant_id, status, due_at)`);
    await q.query(`CREATE INDEX logistics_exceptions_order_idx ON logistics_exceptions (order_id)`);

    // [002 补发] a reship order points at the order whose goods it replaces.
    await q.query(`ALTER TABLE orders ADD COLUMN reship_of uuid REFERENCES orders(id)`);
    await q.query(`CREATE INDEX orders_reship_of_idx ON orders (reship_of) WHERE reship_of IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX orders_reship_of_idx`);
    await q.query(`ALTER TABLE orders DROP COLUMN reship_of`);
    await q.query(`DROP TABLE logistics_exceptions`);
    await q.query(`DROP TABLE carrier_pushes`);
    await q.query(`DROP TABLE shipment_events`);
    await q.query(`DROP INDEX shipments_page_idx`);
    await q.query(`DROP INDEX shipments_poll_idx`);
    await q.query(`DROP INDEX shipments_stale_idx`);
    await q.query(`ALTER TABLE shipments DROP COLUMN poll_error, DROP COLUMN last_polled_at, DROP COLUMN same_province`);
    await q.query(`DROP FUNCTION logistics_province_key(text)`);
  }
}
