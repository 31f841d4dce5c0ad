import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, ResponseObject } from '@nestjs/swagger';
import { buildApiDocument } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { bearer } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function operations(doc: OpenAPIObject): Array<{ name: string; path: string; method: string; op: OperationObject }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ name: `${method.toUpperCase()} ${path}`, path, method, op: item[method]! })),
  );
}

/** `$ref`s resolved everywhere, as /meta/state-machines gives a schema. */
function deref(doc: OpenAPIObject, node: unknown): unknown {
  if (Array.isArray(node)) return node.map((n) => deref(doc, n));
  if (!node || typeof node !== 'object') return node;
  const ref = (node as { $ref?: string }).$ref;
  if (ref) return deref(doc, doc.components!.schemas![ref.split('/').pop()!]);
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deref(doc, v)]));
}

interface ActionDescription {
  name: string;
  internal: boolean;
  actors: string[];
  inputSchema: { type?: string; properties?: Record<string, unknown>; required?: string[] } | null;
}

/**
 * Issue 17: the OpenAPI document is a contract a client can rely on. These fail naming the
 * operations that break it, so a module merged later (claims, reviews, complaints…) must keep it:
 * a summary on every operation, errors with the one ErrorResponse body, security, the document
 * built without a database being the one served, and machines serving their actions' schemas.
 */
describe('the OpenAPI document as a contract', () => {
  let t: TestApp;
  let built: OpenAPIObject;
  let served: OpenAPIObject;
  let unmatched: string[];

  beforeAll(async () => {
    ({ doc: built, unmatched } = await buildApiDocument(loadConfig({ LOG_LEVEL: 'silent' })));
    t = await startTestApp();
    served = (await t.http().get('/docs-json').expect(200)).body as OpenAPIObject;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is built without a database exactly as the service serves it at /docs-json (what lint:api checks and the client is generated from)', () => {
    expect(unmatched).toEqual([]);
    expect(served).toEqual(built);
    expect(served.servers).toEqual([{ url: '/', description: expect.any(String) }]);
  });

  it('gives every operation a summary (add @ApiOperation({ summary }) to the handlers listed)', () => {
    expect(operations(served).filter(({ op }) => !op.summary?.trim()).map(({ name }) => name)).toEqual([]);
  });

  it('declares the 4xx answers of every operation, each with the one ErrorResponse body', () => {
    const problems: string[] = [];
    for (const { name, op } of operations(served)) {
      const errors = Object.entries(op.responses).filter(([code]) => /^4\d\d$/.test(code));
      if (!errors.length) problems.push(`${name}: no 4xx`);
      for (const [code, r] of errors) {
        const res = (r && '$ref' in r ? served.components!.responses![(r as ReferenceObject).$ref.split('/').pop()!] : r) as ResponseObject;
        const schema = res.content?.['application/json']?.schema as ReferenceObject | undefined;
        if (schema?.$ref !== '#/components/schemas/ErrorResponse') problems.push(`${name} ${code}: body is not ErrorResponse`);
      }
    }
    expect(problems).toEqual([]);
    expect(served.components!.schemas!.ErrorResponse).toMatchObject({ required: ['statusCode', 'error', 'message'] });
  });

  it('derives the errors from the route: action routes 403/404/409/422, creates 409/422, role-restricted routes 403, every body 400/413/415', () => {
    const codes = (path: string, method: (typeof METHODS)[number]) => Object.keys(served.paths[path]![method]!.responses).filter((c) => c.startsWith('4'));
    expect(codes('/api/v1/returns/{id}/approve', 'post')).toEqual(['400', '401', '403', '404', '409', '413', '415', '422', '429']);
    expect(codes('/api/v1/returns', 'post')).toEqual(['400', '401', '403', '404', '409', '413', '415', '422', '429']);
    expect(codes('/api/v1/returns/{id}', 'get')).toEqual(['400', '401', '404', '429']);
    expect(codes('/api/v1/staff', 'get')).toEqual(['400', '401', '403', '429']);
    expect(codes('/api/v1/auth/login', 'post')).toEqual(['400', '401', '409', '413', '415', '429']);
    expect(codes('/webhooks/{platform}/{shopId}', 'post')).toEqual(['400', '401', '404', '413']);
    expect(codes('/webhooks/carriers/kuaidi100/{shopId}', 'post')).toEqual(['400', '401', '413']);
    expect(codes('/health', 'get')).toEqual(['400']);
  });

  it('/health can answer its documented 400 (a query string no column could store)', async () => {
    const res = await t.http().get('/health?probe=%00');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', details: [{ field: 'probe' }] });
  });

  it('says who may call what: bearer for /api/v1 except login, nothing for webhooks and health, signature headers described', () => {
    const wrong = operations(served)
      .filter(({ path, op }) => {
        const open = path === '/api/v1/auth/login' || path.startsWith('/webhooks/') || path === '/health';
        return JSON.stringify(op.security) !== JSON.stringify(open ? [] : [{ bearer: [] }]);
      })
      .map(({ name }) => name);
    expect(wrong).toEqual([]);
    expect(served.security).toEqual([{ bearer: [] }]);
    const headers = (path: string) => (served.paths[path]!.post!.parameters as ParameterObject[]).filter((p) => p.in === 'header').map((p) => p.name);
    expect(headers('/webhooks/{platform}/{shopId}')).toEqual(expect.arrayContaining(['X-Shopify-Hmac-Sha256', 'X-WC-Webhook-Signature', 'X-Signature']));
    expect(headers('/webhooks/carriers/generic/{shopId}')).toEqual(['X-Signature']);
    const kuaidi100 = served.paths['/webhooks/carriers/kuaidi100/{shopId}']!.post!.requestBody as { content: Record<string, { schema: { required: string[] } }> };
    expect(kuaidi100.content['application/x-www-form-urlencoded'].schema.required).toEqual(['param', 'sign']);
    expect(headers('/api/v1/returns/{id}/approve')).toEqual(['Idempotency-Key']);
  });

  it('tags every operation with its module, and describes every tag', () => {
    expect(operations(served).filter(({ op }) => op.tags?.length !== 1).map(({ name }) => name)).toEqual([]);
    const tags = new Set(operations(served).map(({ op }) => op.tags![0]));
    expect(served.tags!.map((tag) => tag.name).sort()).toEqual([...tags].sort());
    expect(served.tags!.filter((tag) => !tag.description)).toEqual([]);
  });

  it('serves each machine action with the JSON Schema of its route\'s request body, so a form needs no knowledge of the module', async () => {
    const res = await t.http().get('/api/v1/meta/state-machines').set(bearer(t.adminToken)).expect(200);
    const machines = res.body as Array<{ name: string; collection: string; actions: ActionDescription[] }>;
    const problems: string[] = [];
    for (const m of machines) {
      for (const a of m.actions) {
        const byStaff = !a.internal && a.actors.some((actor) => ['admin', 'supervisor', 'agent', 'warehouse', 'finance'].includes(actor));
        const route = served.paths[`/api/v1/${m.collection}/{id}/${a.name}`]?.post ?? served.paths[`/api/v1/${m.collection}/{id}/{action}`]?.post;
        const content = (route?.requestBody as { content: Record<string, { schema: unknown }> } | undefined)?.content ?? {};
        const body = (content['application/json'] ?? Object.values(content)[0])?.schema;
        if (!byStaff) {
          if (a.inputSchema !== null) problems.push(`${m.name}.${a.name}: not fired over HTTP by staff, yet has a schema`);
        } else if (!body) {
          problems.push(`${m.name}.${a.name}: staff fire it, but POST /api/v1/${m.collection}/{id}/${a.name} has no request body in the document`);
        } else if (JSON.stringify(a.inputSchema) !== JSON.stringify(deref(served, body))) {
          problems.push(`${m.name}.${a.name}: inputSchema is not the route's request body`);
        }
      }
    }
    expect(problems).toEqual([]);
    const returns = machines.find((m) => m.name === 'return')!;
    const approve = returns.actions.find((a) => a.name === 'approve')!;
    expect(approve.inputSchema).toMatchObject({ type: 'object', properties: { expectedVersion: { type: 'number' }, amount: { type: 'number' }, note: { type: 'string' } } });
    expect(returns.actions.find((a) => a.name === 'refund-succeeded')?.inputSchema ?? null).toBeNull();
    expect(returns.actions.find((a) => a.name === 'assign')!.inputSchema).toMatchObject({ properties: { assigneeId: expect.any(Object) } });
  });
});
