/**
 * Building blocks of the OpenAPI fuzz (test/e2e/fuzz.e2e-spec.ts): the operations of `/docs-json`,
 * fast-check arbitraries for their bodies, path params and query strings — valid-looking values
 * from the schemas, then broken ones — and a fingerprint of the database to prove that a refused
 * request changed nothing.
 */
import fc from 'fast-check';
import type { DataSource } from 'typeorm';

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  example?: unknown;
  additionalProperties?: boolean | Schema;
}

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  params: Param[];
  body?: Schema;
  /** The media type the document declares for the body. */
  bodyType?: string;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: Param[]; requestBody?: { content: Record<string, { schema?: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
}

/** Every operation of the document, with $refs resolved (allOf merged). */
export function operationsOf(doc: OpenApiDoc): Operation[] {
  const resolve = (s: Schema | undefined, depth = 0): Schema | undefined => {
    if (!s || depth > 8) return s;
    if (s.$ref) return resolve(doc.components.schemas[s.$ref.split('/').pop()!], depth + 1);
    if (s.allOf) {
      const parts = s.allOf.map((p) => resolve(p, depth + 1) ?? {});
      return {
        type: 'object',
        properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
        required: parts.flatMap((p) => p.required ?? []),
      };
    }
    const out: Schema = { ...s };
    if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, resolve(v, depth + 1)!]));
    if (s.items) out.items = resolve(s.items, depth + 1);
    return out;
  };
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const [bodyType, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
      ops.push({ method: method as Operation['method'], path, params: op.parameters ?? [], body: resolve(media?.schema), bodyType });
    }
  }
  return ops;
}

// ---- hostile values --------------------------------------------------------------------------

/** Strings no client means: NUL, unpaired surrogates, huge, control and direction characters. */
export const hostileString = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'a\ud800@x.com', '\udc00x', 'x\ud83d', '\u202e\u0007', ' ', '', '😀'.repeat(3), '%00', "'; DROP TABLE orders; --", '${{7*7}}', '../../etc/passwd'),
  fc.constantFrom(1000, 10_000, 100_000).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

/** Any JSON value that is not what the field wants. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, -0, 1.5, 2 ** 53, 2 ** 63, -(2 ** 31), 1e308, [], {}, [null], { $gt: '' }, JSON.parse('{"__proto__":{"isAdmin":true}}')),
  fc.anything({ maxDepth: 2, maxKeys: 3 }),
);

/** JSON text nested `n` levels deep (the parser refuses beyond its limit). */
export const deepJson = fc.constantFrom(33, 64, 200, 2500).chain((n) =>
  fc.constantFrom(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`, `${'['.repeat(n)}${']'.repeat(n)}`, `{"note":${'['.repeat(n)}${']'.repeat(n)}}`),
);

/** Bodies that are not JSON, or JSON of the wrong kind. */
export const malformedJson = fc.constantFrom(
  '', ' ', '{', '{"a":', '{"a":1,}', '[1,2', 'nul', 'null', 'true', '1e999', '"text"', '[]', '[{}]', '{"a":1}{"b":2}', '\ufeff{}',
  '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":"\\ud800"}', '{"\\u0000":1}', '{"a":"\\u0000"}',
  '\u0000\u0001', '{"a":01}', '{"a":NaN}', "{'a':1}",
);

export const jsonTypes = fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'Application/JSON');
export const otherTypes = fc.constantFrom<string | null>(
  'text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
  'application/xml', 'application/merge-patch+json', 'json', 'application/json; charset=utf-16', null,
);

// ---- values from schemas ---------------------------------------------------------------------

export interface IdPools {
  /** Ids that exist: this merchant's, another merchant's (must answer 404), and ones that do not exist. */
  ids: string[];
  /** Real ids for a field or parameter name (`orderId`, `orderIds`, `shopId`), when the name tells the kind. */
  idsFor(name: string): string[] | undefined;
}

/** A value that fits the schema more or less (so requests get past the first field check). */
export function valueFor(s: Schema | undefined, pools: IdPools, name = '', depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 4) return fc.jsonValue({ maxDepth: 1 });
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  // an example is valid by construction: mostly taken, so that more requests reach the service
  if (s.example !== undefined && s.type !== 'object') return fc.oneof({ weight: 3, arbitrary: fc.constant(s.example) }, { weight: 1, arbitrary: plain(s, pools, name, depth) });
  return plain(s, pools, name, depth);
}

function plain(s: Schema, pools: IdPools, name: string, depth: number): fc.Arbitrary<unknown> {
  switch (s.type) {
    case 'string':
      if (s.format === 'uuid') {
        const real = pools.idsFor(name);
        return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(real?.length ? real : pools.ids)) }, { weight: 1, arbitrary: fc.constantFrom(...pools.ids) }, { weight: 1, arbitrary: fc.uuid() });
      }
      if (s.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      return fc.string({ minLength: Math.min(s.minLength ?? 1, 30), maxLength: Math.max(Math.min(s.maxLength ?? 30, 30), s.minLength ?? 1) });
    case 'number':
    case 'integer':
      return fc.integer({ min: Math.max(s.minimum ?? -5, -1e9), max: Math.min(s.maximum ?? 100_000, 1e9) });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valueFor(s.items, pools, name, depth + 1), { minLength: 1, maxLength: 3 });
    case 'object':
    default: {
      const props = s.properties ?? {};
      const keys = Object.keys(props);
      if (!keys.length) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
      return fc.record(Object.fromEntries(keys.map((k) => [k, valueFor(props[k], pools, k, depth + 1)])), { requiredKeys: (s.required ?? []).filter((k) => k in props) });
    }
  }
}

/** Every path to a value inside a JSON value, e.g. ['lines', 0, 'quantity']. */
function pathsOf(v: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...pathsOf(x, [...prefix, i])));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, [...prefix, k]));
  return out;
}

function withValueAt(v: unknown, path: Array<string | number>, value: unknown, remove: boolean): unknown {
  if (!path.length) return value;
  const [head, ...rest] = path;
  if (Array.isArray(v)) {
    const copy = [...v];
    if (remove && !rest.length) copy.splice(head as number, 1);
    else copy[head as number] = withValueAt(copy[head as number], rest, value, remove);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(v as object) };
  if (remove && !rest.length) delete copy[head];
  else copy[head] = withValueAt(copy[head], rest, value, remove);
  return copy;
}

/** A storable string made unstorable: a NUL or an unpaired surrogate inside it. */
const poisoned = (s: string) => fc.constantFrom('\u0000', '\ud800', '\udfff').map((bad) => `${s.slice(0, 1)}${bad}${s.slice(1)}`);

/**
 * A schema-shaped body with one thing broken: a string poisoned (the most common way to a
 * database error), a value replaced by anything, set to null, removed, or an unknown field added.
 */
export function brokenBody(schema: Schema | undefined, pools: IdPools): fc.Arbitrary<unknown> {
  const how = fc.constantFrom('poison', 'poison', 'poison', 'replace', 'replace', 'null', 'remove', 'add');
  return fc.tuple(valueFor(schema, pools), fc.nat(), how, hostileValue, fc.string({ maxLength: 4 })).chain(([body, pick, kind, bad, filler]) => {
    const paths = pathsOf(body);
    const strings = paths.filter((p) => typeof valueAt(body, p) === 'string');
    if (kind === 'poison') {
      const path = strings.length ? strings[pick % strings.length] : paths[pick % paths.length];
      const current = valueAt(body, path);
      return poisoned(typeof current === 'string' ? current : filler).map((v) => withValueAt(body, path, v, false));
    }
    const path = paths[pick % paths.length];
    if (kind === 'add') return fc.constant(isObject(body) ? { ...body, [`unknownField${pick % 3}`]: bad } : bad);
    if (kind === 'remove' && path.length) return fc.constant(withValueAt(body, path, undefined, true));
    return fc.constant(withValueAt(body, path, kind === 'null' ? null : bad, false));
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function valueAt(v: unknown, path: Array<string | number>): unknown {
  return path.reduce<unknown>((cur, k) => (cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined), v);
}

/** A request body as sent: text and content type. */
export interface RawBody {
  text: string | null;
  type: string | null;
}

const asJson = (v: unknown) => JSON.stringify(v) ?? 'null';

/** A schema-shaped JSON body, sent as JSON: most of these get past validation into the service. */
export function plausibleBody(op: Operation, pools: IdPools): fc.Arbitrary<RawBody> {
  return fc.tuple(valueFor(op.body, pools), jsonTypes).map(([v, type]) => ({ text: asJson(v), type }));
}

/** A hostile body: one field broken, nested too deep, not JSON, anything at all, or none. */
export function hostileBody(op: Operation, pools: IdPools): fc.Arbitrary<RawBody> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(brokenBody(op.body, pools), jsonTypes).map(([v, type]) => ({ text: asJson(v), type })) },
    { weight: 1, arbitrary: deepJson.map((text) => ({ text, type: 'application/json' })) },
    { weight: 1, arbitrary: fc.tuple(malformedJson, jsonTypes).map(([text, type]) => ({ text, type })) },
    { weight: 1, arbitrary: fc.tuple(fc.anything({ maxDepth: 3 }), jsonTypes).map(([v, type]) => ({ text: asJson(v), type })) },
    { weight: 1, arbitrary: fc.constant({ text: null, type: null }) },
  );
}

/** A plausible or broken body under a content type other than JSON (or none). */
export function wrongTypeBody(op: Operation, pools: IdPools): fc.Arbitrary<RawBody> {
  return fc.tuple(fc.oneof(valueFor(op.body, pools).map(asJson), malformedJson), otherTypes).map(([text, type]) => ({ text, type }));
}

// ---- URLs ------------------------------------------------------------------------------------

/** Path segments already percent-encoded: NUL, the (invalid) UTF-8 of a lone surrogate, traversal. */
const HOSTILE_SEGMENTS = ['%00', 'a%00b', '%ED%A0%80', '%C0%80', '%FF', '..%2F..', '%252e', 'not-an-id', '1', '-1', '9'.repeat(300), "'%3B--", '%20', '00000000-0000-0000-0000-000000000000'];

/** The operation's path with real ids (this merchant's mostly, another's sometimes) or, when hostile, anything. */
export function pathArb(op: Operation, poolFor: (param: string) => string[], hostile: boolean): fc.Arbitrary<string> {
  const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const real = (name: string) => fc.constantFrom(...poolFor(name)).map(encodeURIComponent);
  const segment = (name: string) =>
    hostile ? fc.oneof(fc.uuid(), fc.constantFrom(...HOSTILE_SEGMENTS), fc.string({ maxLength: 20 }).map(encodeURIComponent), real(name)) : real(name);
  return fc.tuple(...names.map(segment)).map((values) => names.reduce((p, n, i) => p.replace(`{${n}}`, values[i]), op.path));
}

const HOSTILE_QUERY = ['%00', 'a%00b', '%ED%A0%80', '%uD800', '%', '%zz', '-1', '0', '1e999', '99999999999999999999', 'true', 'null', '[]', '{}', '2025-02-30', '2025-03-01T25:00:00Z', 'x'.repeat(3000)];

/** A query string of the operation's parameters; when hostile, one of them (or an extra one) is broken. */
export function queryArb(op: Operation, pools: IdPools, hostile: boolean): fc.Arbitrary<string> {
  const params = op.params.filter((p) => p.in === 'query');
  // a random cursor is only ever "Invalid cursor": left to the hostile case
  const good = (p: Param) => (p.name === 'cursor' ? fc.constant(null) : fc.option(valueFor(p.schema, pools, p.name).map((v) => `${encodeURIComponent(p.name)}=${encodeURIComponent(String(v))}`), { freq: 2 }));
  const bad = (name: string) =>
    fc.oneof(
      fc.constantFrom(...HOSTILE_QUERY).map((v) => `${encodeURIComponent(name)}=${v}`),
      fc.string({ unit: 'grapheme', maxLength: 10 }).map((v) => `${encodeURIComponent(name)}=${encodeURIComponent(v)}&${encodeURIComponent(name)}=x`),
    );
  const names = [...params.map((p) => p.name), 'unknown', '__proto__', 'a[b]'];
  return fc.tuple(fc.tuple(...params.map(good)), hostile ? fc.constantFrom(...names).chain(bad) : fc.constant(null)).map(([parts, broken]) => {
    const all = [...parts, broken].filter((x): x is string => !!x);
    return all.length ? `?${all.join('&')}` : '';
  });
}

/** What one request breaks: one thing at a time, so each kind of fault is reached on its own. */
export type Focus = 'none' | 'body' | 'content-type' | 'path' | 'query' | 'auth' | 'idempotency-key';

export interface FuzzRequest {
  focus: Focus;
  path: string;
  query: string;
  body: RawBody;
  who: string;
  idempotencyKey: string | null;
}

export function requestArb(op: Operation, pools: IdPools, poolFor: (param: string) => string[], callers: { trusted: string[]; untrusted: string[] }): fc.Arbitrary<FuzzRequest> {
  const hasBody = op.method !== 'get' && op.method !== 'delete';
  const focuses: Focus[] = ['none', 'query', 'auth'];
  if (op.path.includes('{')) focuses.push('path');
  if (hasBody) focuses.push('body', 'body', 'body', 'content-type');
  if (op.method === 'post') focuses.push('idempotency-key');
  return fc.constantFrom(...focuses).chain((focus) =>
    fc.record({
      focus: fc.constant(focus),
      path: pathArb(op, poolFor, focus === 'path'),
      query: queryArb(op, pools, focus === 'query'),
      body: !hasBody
        ? fc.constant({ text: null, type: null })
        : focus === 'body'
          ? hostileBody(op, pools)
          : focus === 'content-type'
            ? wrongTypeBody(op, pools)
            : plausibleBody(op, pools),
      who: fc.constantFrom(...(focus === 'auth' ? callers.untrusted : callers.trusted)),
      idempotencyKey:
        op.method !== 'post'
          ? fc.constant(null)
          : focus === 'idempotency-key'
            ? fc.constantFrom('', ' ', 'ключ', 'x'.repeat(300), 'a\tb', 'reused-key', 'reused-key')
            : fc.option(fc.uuid(), { freq: 3 }),
    }),
  );
}

// ---- the database fingerprint ----------------------------------------------------------------

/**
 * A hash of every row of every table in the public schema (the test database is small), so
 * "nothing changed" is checked whatever a request might have touched. `ignore` names columns
 * that change by design on any request (e.g. a session's last use).
 */
/**
 * `skip`: tables that a refused request is meant to change (a failed login is counted in
 * login_throttle, which is the lockout working, not a leak of a 4xx into the data).
 */
export async function fingerprinter(db: DataSource, ignore: Record<string, string[]> = {}, skip: string[] = []): Promise<() => Promise<Record<string, string>>> {
  const tables: Array<{ name: string }> = await db.query(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY 1`,
  );
  const sql = tables
    .filter(({ name }) => !skip.includes(name))
    .map(({ name }) => {
      const row = ignore[name]?.length ? `(to_jsonb(x) - ARRAY[${ignore[name].map((c) => `'${c}'`).join(',')}]::text[])::text` : 'to_jsonb(x)::text';
      return `SELECT '${name}' AS t, count(*)::text || ':' || md5(coalesce(string_agg(md5(${row}), '' ORDER BY md5(${row})), '')) AS h FROM "${name}" x`;
    })
    .join(' UNION ALL ');
  return async () => Object.fromEntries(((await db.query(sql)) as Array<{ t: string; h: string }>).map((r) => [r.t, r.h]));
}

/** The tables whose fingerprint differs. */
export function changedTables(a: Record<string, string>, b: Record<string, string>): string[] {
  return Object.keys({ ...a, ...b }).filter((k) => a[k] !== b[k]);
}
