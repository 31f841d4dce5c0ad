import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { isRateLimitExempt } from '../auth/rate-limits.js';
import { WEBHOOK_PATH_PREFIX } from '../http/request-edge.js';
import { defaultErrorDescription, ERROR_SCHEMAS, ERROR_STATUSES, errorResponse, errorResponseName } from './error-response.js';
import { type RouteFacts, type RouteIndex, routeKey } from './routes.js';
import { tagDescription } from './tags.js';

export const BEARER = 'bearer';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const BODY_METHODS = new Set(['post', 'put', 'patch']);
/** `POST /api/v1/{collection}/{id}/{action}`: a machine action (or a kernel case action) on one case or record. */
const ACTION_ROUTE = /^\/api\/v1\/[^/{}]+\/\{id\}\/(?:[a-z][a-z0-9-]*|\{action\})$/;
/** Path parameters naming one of our records (or a machine action): an unknown or foreign one answers 404. */
const ID_PARAM = /^(?:id|action|[a-z][A-Za-z0-9]*Id)$/;
/** Body fields naming one record (`orderId`); a list of ids (`orderIds`) is a batch answered item by item. */
const ID_FIELD = /^[a-z][A-Za-z0-9]*Id$/;

export const IDEMPOTENCY_KEY_PARAM: ParameterObject = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe: the same key and body within 24 h replay the first response (with `idempotent-replayed: true`) ' +
    'instead of doing the work again; the same key with another body answers 422, a retry while the first is running 409.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$', example: 'return-approve-7f3a' },
};

export interface FinishOptions {
  /** Base URL of the service for `servers` (PUBLIC_BASE_URL); null: `/`, the origin serving the document. */
  serverUrl: string | null;
}

export interface FinishResult {
  doc: OpenAPIObject;
  /** Operations of the document no controller route was found for (their errors are derived from the path alone). */
  unmatched: string[];
}

type Operation = OperationObject & { security?: Array<Record<string, string[]>> };

/**
 * Completes the document @nestjs/swagger builds from the decorators with what every route of the
 * service shares (SPEC §4), so that no controller has to repeat it and a module merged later gets
 * it too: the error responses each route can give (derived from its method, path, parameters, body
 * and auth metadata, plus `@ApiErrors`), all with the one `ErrorResponse` body; the security of each
 * operation (bearer unless `@Public()`); the Idempotency-Key header of admin POSTs; a tag for an
 * untagged operation and a description for every tag; `servers`.
 */
export function finishDocument(input: OpenAPIObject, routes: RouteIndex, opts: FinishOptions): FinishResult {
  // operations may share objects (a responses map, a parameter): each gets its own copy to complete
  // (structuredClone would keep them shared)
  const doc = JSON.parse(JSON.stringify(input)) as OpenAPIObject;
  const components = (doc.components ??= {});
  components.schemas = { ...components.schemas, ...ERROR_SCHEMAS };
  components.securitySchemes = { [BEARER]: { type: 'http', scheme: 'bearer', bearerFormat: 'opaque token from POST /api/v1/auth/login' }, ...components.securitySchemes };
  const usedResponses = new Map<number, ResponseObject>();
  const tags = new Set<string>();
  const unmatched: string[] = [];

  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method] as Operation | undefined;
      if (!op) continue;
      let route = routes.get(routeKey(method, path));
      if (!route) {
        unmatched.push(`${method.toUpperCase()} ${path}`);
        route = { method, path, public: path.startsWith(WEBHOOK_PATH_PREFIX) || path === '/health', roles: [], errors: {} };
      }
      op.security = route.public ? [] : [{ [BEARER]: [] }];
      if (!op.tags?.length) op.tags = [moduleOf(path)];
      op.tags.forEach((t) => tags.add(t));
      if (!route.public && method === 'post' && !hasParam(op, 'header', IDEMPOTENCY_KEY_PARAM.name)) {
        op.parameters = [...(op.parameters ?? []), { ...IDEMPOTENCY_KEY_PARAM }];
      }
      const statuses = deriveErrorStatuses(doc, op, route);
      for (const [status, said] of Object.entries(route.errors)) {
        if (said === false) statuses.delete(Number(status));
        else statuses.set(Number(status), said === true ? statuses.get(Number(status)) : said);
      }
      for (const [status, description] of statuses) {
        const existing = op.responses[status] as ResponseObject | ReferenceObject | undefined;
        if (existing && '$ref' in existing) continue;
        if (existing) {
          // declared by a decorator (e.g. @ApiUnauthorizedResponse): its description stays, the body is the shared one
          existing.content ??= errorResponse(status).content;
          continue;
        }
        if (description === undefined || description === defaultErrorDescription(status)) {
          usedResponses.set(status, errorResponse(status));
          op.responses[status] = { $ref: `#/components/responses/${errorResponseName(status)}` };
        } else {
          op.responses[status] = errorResponse(status, description);
        }
      }
      // 4xx declared by decorators outside the derived set get the shared body as well
      for (const [code, r] of Object.entries(op.responses)) {
        if (r && /^4\d\d$/.test(code) && !('$ref' in r)) r.content ??= errorResponse(Number(code)).content;
      }
      op.responses = sortedResponses(op.responses);
    }
  }

  components.responses = {
    ...components.responses,
    ...Object.fromEntries([...usedResponses].sort(([a], [b]) => a - b).map(([status, r]) => [errorResponseName(status), r])),
  };
  doc.security = [{ [BEARER]: [] }];
  doc.servers = [
    opts.serverUrl
      ? { url: opts.serverUrl, description: 'This service (PUBLIC_BASE_URL)' }
      : { url: '/', description: 'This service: the origin serving this document (PUBLIC_BASE_URL names another)' },
  ];
  doc.tags = [...tags].sort().map((name) => ({ name, description: doc.tags?.find((t) => t.name === name)?.description ?? tagDescription(name) }));
  return { doc, unmatched };
}

/**
 * The error statuses a route can answer, from what the service does to every request (SPEC §4):
 * - 400: any body, query or path parameter can be malformed or invalid (also an Idempotency-Key);
 * - 401: a bearer route without a valid token; a webhook with a bad signature;
 * - 403: a route restricted by `@Roles`, and every action route (the machine names who may fire it);
 * - 404: an admin route's path parameter or body field naming one of our records (`id`,
 *   `{shopId}`, `{action}`, a body's `orderId`);
 * - 409 / 422: every admin POST (Idempotency-Key in progress / reused with another body), and an
 *   action refused by the current status or version (409) or a business rule (422);
 * - 413: any request body; 415: a body of another Content-Type than the route takes (webhooks read
 *   any type); 429: everything rate limited (all but webhooks and /health).
 */
export function deriveErrorStatuses(doc: OpenAPIObject, op: OperationObject, route: RouteFacts): Map<number, string | undefined> {
  const { method, path } = route;
  const out = new Map<number, string | undefined>();
  const add = (status: number, description?: string) => out.set(status, description);
  const webhook = path.startsWith(WEBHOOK_PATH_PREFIX);
  const bearer = !route.public;
  const takesBody = BODY_METHODS.has(method);
  const params = (op.parameters ?? []).filter((p): p is ParameterObject => !('$ref' in p));
  const action = method === 'post' && ACTION_ROUTE.test(path);

  if (takesBody || op.requestBody || params.some((p) => p.in !== 'header')) add(400);
  if (bearer) add(401);
  if (webhook) add(401, 'Missing or invalid signature (an unknown shop answers the same)');
  if (bearer && (route.roles.length > 0 || action)) add(403);
  // a webhook for an unknown shop answers 401 like a forged one (nothing to learn there)
  if (bearer && (params.some((p) => p.in === 'path' && ID_PARAM.test(p.name)) || bodyFields(doc, op).some((f) => ID_FIELD.test(f)))) add(404);
  if (bearer && method === 'post') {
    add(409);
    add(422);
  }
  if (takesBody) add(413);
  if (takesBody && !webhook) add(415);
  if (!isRateLimitExempt(path)) add(429);
  return new Map([...out].filter(([s]) => ERROR_STATUSES.includes(s)));
}

/** Top-level property names of the JSON request body (through $ref and allOf). */
function bodyFields(doc: OpenAPIObject, op: OperationObject): string[] {
  const body = op.requestBody && !('$ref' in op.requestBody) ? op.requestBody : undefined;
  const schema = body?.content['application/json']?.schema;
  const names: string[] = [];
  const visit = (s: SchemaObject | ReferenceObject | undefined, depth: number): void => {
    if (!s || depth > 5) return;
    if ('$ref' in s) return visit(doc.components?.schemas?.[s.$ref.split('/').pop()!], depth + 1);
    names.push(...Object.keys(s.properties ?? {}));
    for (const part of s.allOf ?? []) visit(part, depth + 1);
  };
  visit(schema, 0);
  return names;
}

function hasParam(op: OperationObject, where: string, name: string): boolean {
  return (op.parameters ?? []).some((p) => !('$ref' in p) && p.in === where && p.name.toLowerCase() === name.toLowerCase());
}

/** The module an untagged operation belongs to: `/api/v1/claims/...` → claims. */
function moduleOf(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return (parts[0] === 'api' ? parts[2] : parts[0]) ?? 'service';
}

function sortedResponses<T>(responses: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
}
