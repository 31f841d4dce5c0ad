import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { CarrierRegistry1764070000000 } from '../../migrations/1764070000000-CarrierRegistry.js';
import { runMigrations } from '../../src/database/data-source.js';
import { createTestDatabase } from '../support/test-app.js';

/** The registry migration re-keys parcels and pushes stored before it under their canonical codes. */
describe('migration: carrier registry over existing data', () => {
  let url: string;
  let db: DataSource;

  beforeAll(async () => {
    url = await createTestDatabase();
    const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(CarrierRegistry1764070000000));
    const old = new DataSource({ type: 'postgres', url, migrations: before, migrationsTableName: 'migrations' });
    await old.initialize();
    await old.runMigrations({ transaction: 'each' });
    await old.destroy();
    db = new DataSource({ type: 'postgres', url });
    await db.initialize();
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('files old carrier names under the canonical code, keeps the name given, and leaves a duplicate parcel alone', async () => {
    const [m] = await db.query(`INSERT INTO merchants (name) VALUES ('m') RETURNING id`);
    const [shop] = await db.query(`INSERT INTO shops (merchant_id, name, platform, webhook_secret) VALUES ($1, 's', 'generic', 'whsec_12345678') RETURNING id`, [m.id]);
    const ship = (carrier: string, no: string) =>
      db.query(`INSERT INTO shipments (merchant_id, shop_id, carrier, tracking_no) VALUES ($1, $2, $3, $4) RETURNING id`, [m.id, shop.id, carrier, no]).then((r) => r[0].id as string);
    const yto = await ship('YTO Express', 'YT1');
    const first = await ship('yuantong', 'YT2');
    const dup = await ship('YTO', 'YT2'); // the same parcel under a second name
    const acme = await ship('Acme Post', 'AC1');
    const sf = await ship('S.F. Express', 'SF1');
    await db.query(
      `INSERT INTO carrier_pushes (merchant_id, shop_id, provider, carrier, tracking_no, shipment_id, raw_body) VALUES
         ($1, $2, 'generic', 'ZTO', 'ZT1', NULL, '\\x7b7d'), ($1, $2, 'kuaidi100', 'yuantong', 'YT1', $3, '\\x7b7d')`,
      [m.id, shop.id, yto],
    );

    await runMigrations(url);

    const rows: Array<{ id: string; carrier: string; carrier_name: string }> = await db.query('SELECT id, carrier, carrier_name FROM shipments');
    const byId = Object.fromEntries(rows.map((r) => [r.id, { carrier: r.carrier, name: r.carrier_name }]));
    expect(byId[yto]).toEqual({ carrier: 'yuantong', name: 'YTO Express' });
    expect(byId[first]).toEqual({ carrier: 'yuantong', name: 'yuantong' });
    expect(byId[dup]).toEqual({ carrier: 'YTO', name: 'YTO' });
    expect(byId[acme]).toEqual({ carrier: 'acmepost', name: 'Acme Post' });
    expect(byId[sf]).toEqual({ carrier: 'shunfeng', name: 'S.F. Express' });
    const pushes = await db.query('SELECT carrier, carrier_name, tracking_no, matched_at IS NOT NULL AS matched FROM carrier_pushes ORDER BY tracking_no');
    expect(pushes).toEqual([
      { carrier: 'yuantong', carrier_name: 'yuantong', tracking_no: 'YT1', matched: true },
      { carrier: 'zhongtong', carrier_name: 'ZTO', tracking_no: 'ZT1', matched: false },
    ]);

    // down gives the names back
    const all = new DataSource({ type: 'postgres', url, migrations: MIGRATIONS, migrationsTableName: 'migrations' });
    await all.initialize();
    while ((await all.query(`SELECT 1 FROM migrations WHERE name = $1`, [CarrierRegistry1764070000000.name])).length) await all.undoLastMigration({ transaction: 'each' });
    await all.destroy();
    const back: Array<{ carrier: string }> = await db.query('SELECT carrier FROM shipments ORDER BY tracking_no, carrier');
    expect(back.map((r) => r.carrier)).toEqual(['Acme Post', 'S.F. Express', 'YTO Express', 'YTO', 'yuantong']);
    expect((await db.query(`SELECT to_regclass('carriers') AS t`))[0].t).toBeNull();
  });
});
