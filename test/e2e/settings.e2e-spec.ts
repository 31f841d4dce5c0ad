import { SettingsSections1764100000001 } from '../../migrations/1764100000001-SettingsSections.js';
import { Role } from '../../src/kernel/auth/roles.js';
import { SettingsService } from '../../src/kernel/settings/settings.service.js';
import { carrierCoverageSettings } from '../../src/orders/carrier-coverage.settings.js';
import { bearer, createOtherMerchant, createStaff, type StaffLogin } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Issue 10 item 6: one merchant-settings registry (sections, defaults, validation, one read, one PATCH). */
describe('merchant settings registry', () => {
  let t: TestApp;
  let agent: StaffLogin;

  beforeAll(async () => {
    t = await startTestApp();
    agent = await createStaff(t, Role.Agent);
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (path: string, token = t.adminToken) => t.http().get(`/api/v1/settings${path}`).set(bearer(token));
  const patch = (section: string, body: unknown, token = t.adminToken) => t.http().patch(`/api/v1/settings/${section}`).set(bearer(token)).send(body as object);

  it('GET /api/v1/settings lists every section with its defaults, to any staff member', async () => {
    const other = await createOtherMerchant(t);
    const res = await get('', other.adminToken);
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(res.body.sections.map((s: { section: string }) => [s.section, s]));
    expect(Object.keys(byName)).toEqual(['calendar', 'carrier-coverage', 'logistics', 'orders', 'returns']);
    expect(byName.orders).toMatchObject({ writableBy: ['admin'], route: '/api/v1/settings/orders', value: { completeAfterDays: 15, shipFromProvince: null } });
    expect(byName.returns.value).toEqual({ agentApprovalLimit: 50_000 });
    expect(byName.logistics.value).toEqual({ staleSameProvinceHours: 24, staleCrossProvinceHours: 72 });
    expect(byName['carrier-coverage'].value).toEqual({ carriers: [] });
    // the calendar is a section kept in its own tables, changed at its own route
    expect(byName.calendar).toMatchObject({ writableBy: ['supervisor', 'admin'], route: '/api/v1/settings/calendar', value: { quietHours: { start: '21:00', end: '09:00' } } });
    expect((await get('', agent.token)).status).toBe(200);
  });

  it('PATCH /api/v1/settings/{section} validates with the section DTO, merges, and is read back at once by GET and by the older routes', async () => {
    const res = await patch('returns', { agentApprovalLimit: 12_345 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ agentApprovalLimit: 12_345 });
    expect((await get('/returns', agent.token)).body).toEqual({ agentApprovalLimit: 12_345 });

    expect((await patch('logistics', { staleCrossProvinceHours: 48 })).body).toEqual({ staleSameProvinceHours: 24, staleCrossProvinceHours: 48 });
    expect((await t.http().get('/api/v1/logistics/settings').set(bearer(agent.token))).body).toEqual({ staleSameProvinceHours: 24, staleCrossProvinceHours: 48 });
    expect((await patch('orders', { shipFromProvince: '  浙江 ' })).body).toEqual({ completeAfterDays: 15, shipFromProvince: '浙江' });
    // the older PUT routes write the same sections
    expect((await t.http().put('/api/v1/settings/returns').set(bearer(t.adminToken)).send({ agentApprovalLimit: 50_000 })).body).toEqual({ agentApprovalLimit: 50_000 });
    expect((await get('/returns')).body).toEqual({ agentApprovalLimit: 50_000 });
  });

  it('refuses bad bodies field by field (400), other roles (403) and unknown sections (404), changing nothing', async () => {
    const before = (await get('')).body;
    const unknown = await patch('orders', { completeAfterDays: 3, nope: 1 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([{ field: 'nope', errors: ['property nope should not exist'] }]);
    const nulls = await patch('orders', { completeAfterDays: null });
    expect(nulls.status).toBe(400);
    expect(nulls.body.details[0].field).toBe('completeAfterDays');
    expect((await patch('logistics', { staleSameProvinceHours: 0 })).status).toBe(400);
    expect((await patch('returns', [1, 2])).status).toBe(400);
    // a list item that is not an object (found by the fuzz over /docs-json)
    expect((await patch('carrier-coverage', { carriers: [[]] })).status).toBe(400);
    expect((await t.http().put('/api/v1/settings/carrier-coverage').set(bearer(t.adminToken)).send({ carriers: [[]] })).status).toBe(400);
    const dup = await patch('carrier-coverage', { carriers: [{ carrier: 'SF', provinces: ['广东'] }, { carrier: '顺丰速运', provinces: [] }] });
    expect(dup.status).toBe(400);
    expect(dup.body.details[0].errors[0]).toMatch(/listed twice/);
    expect((await patch('returns', { agentApprovalLimit: 1 }, agent.token)).status).toBe(403);
    const missing = await patch('nope', {});
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/sections: calendar, carrier-coverage, logistics, orders, returns/);
    expect((await get('/nope')).status).toBe(404);
    expect((await get('')).body).toEqual(before);
  });

  it("another merchant's change is not seen; a stored value that no longer validates reads as its default, field by field", async () => {
    const other = await createOtherMerchant(t);
    expect((await patch('orders', { completeAfterDays: 9 }, other.adminToken)).status).toBe(200);
    expect((await get('/orders')).body.completeAfterDays).toBe(15);

    await t.db.query(`UPDATE merchants SET settings = jsonb_set(settings, '{orders}', '{"completeAfterDays": "x", "shipFromProvince": "江苏", "old": true}') WHERE id = $1`, [t.merchantId]);
    t.app.get(SettingsService).invalidate(t.merchantId);
    expect((await get('/orders')).body).toEqual({ completeAfterDays: 15, shipFromProvince: '江苏' });
  });

  it('migration 1764100000001 moves carrierCoverage under its section', async () => {
    const other = await createOtherMerchant(t);
    const coverage = [{ carrier: 'SF', provinces: ['广东'] }];
    await t.db.query(`UPDATE merchants SET settings = (settings - 'carrier-coverage') || jsonb_build_object('carrierCoverage', $2::jsonb) WHERE id = $1`, [other.merchantId, JSON.stringify(coverage)]);
    const qr = t.db.createQueryRunner();
    try {
      await new SettingsSections1764100000001().up(qr);
    } finally {
      await qr.release();
    }
    const [row] = await t.db.query('SELECT settings FROM merchants WHERE id = $1', [other.merchantId]);
    expect(row.settings.carrierCoverage).toBeUndefined();
    expect(await t.app.get(SettingsService).get(other.merchantId, carrierCoverageSettings)).toEqual({ carriers: coverage });
    expect((await get('/carrier-coverage', other.adminToken)).body).toEqual({ carriers: coverage });
  });
});
