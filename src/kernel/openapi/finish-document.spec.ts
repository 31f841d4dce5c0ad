import 'reflect-metadata';
import { Body, Controller, Get, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ApiProperty, ApiTags, type OpenAPIObject, type OperationObject, type ResponseObject } from '@nestjs/swagger';
import { Public, Roles } from '../auth/decorators.js';
import { Role } from '../auth/roles.js';
import { ApiErrors } from './api-errors.decorator.js';
import { buildOpenApiDocument } from './build-document.js';
import { finishDocument } from './finish-document.js';
import { collectRoutes, openApiPath, type RouteFacts, routeKey } from './routes.js';

const ok = { 200: { description: 'ok' } };
const jsonBody = (ref: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });

function docWith(paths: OpenAPIObject['paths']): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths,
    components: { schemas: { CreateClaimDto: { type: 'object', properties: { orderId: { type: 'string' }, note: { type: 'string' } } } } },
  };
}
const facts = (method: string, path: string, extra: Partial<RouteFacts> = {}): [string, RouteFacts] => [routeKey(method, path), { method, path, public: false, roles: [], errors: {}, ...extra }];
const codes = (op: OperationObject | undefined) => Object.keys(op?.responses ?? {}).filter((c) => c.startsWith('4'));

describe('finishDocument: errors, security and tags for routes it has never seen', () => {
  it('derives a new case module\'s errors from method, path, body and auth', () => {
    const doc = docWith({
      '/api/v1/claims': { post: { requestBody: jsonBody('CreateClaimDto'), responses: { 201: { description: 'created' } } }, get: { parameters: [{ name: 'limit', in: 'query' }], responses: ok } },
      '/api/v1/claims/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true }], responses: ok } },
      '/api/v1/claims/{id}/verify': { post: { parameters: [{ name: 'id', in: 'path', required: true }], requestBody: jsonBody('CreateClaimDto'), responses: ok } },
      '/api/v1/claims/stats': { get: { responses: ok } },
    });
    const routes = new Map([
      facts('post', '/api/v1/claims', { roles: [Role.Agent] }),
      facts('get', '/api/v1/claims'),
      facts('get', '/api/v1/claims/{id}'),
      facts('post', '/api/v1/claims/{id}/verify'),
      facts('get', '/api/v1/claims/stats'),
    ]);
    const { doc: out, unmatched } = finishDocument(doc, routes, { serverUrl: null });
    expect(unmatched).toEqual([]);
    expect(codes(out.paths['/api/v1/claims']!.post)).toEqual(['400', '401', '403', '404', '409', '413', '415', '422', '429']);
    expect(codes(out.paths['/api/v1/claims']!.get)).toEqual(['400', '401', '429']);
    expect(codes(out.paths['/api/v1/claims/{id}']!.get)).toEqual(['400', '401', '404', '429']);
    // an action: the machine decides who may fire it (403), the status whether (409), its rules (422)
    expect(codes(out.paths['/api/v1/claims/{id}/verify']!.post)).toEqual(['400', '401', '403', '404', '409', '413', '415', '422', '429']);
    expect(codes(out.paths['/api/v1/claims/stats']!.get)).toEqual(['401', '429']);
    // shared responses by reference, with the one error body
    expect(out.paths['/api/v1/claims/{id}']!.get!.responses[404]).toEqual({ $ref: '#/components/responses/NotFound' });
    expect((out.components!.responses!.NotFound as ResponseObject).content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/ErrorResponse' });
    expect(Object.keys(out.components!.responses!)).toEqual(['BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'Conflict', 'PayloadTooLarge', 'UnsupportedMediaType', 'UnprocessableEntity', 'TooManyRequests']);
    // the untagged module gets its tag, with a description; admin POSTs take an Idempotency-Key
    expect(out.paths['/api/v1/claims/{id}']!.get!.tags).toEqual(['claims']);
    expect(out.tags).toEqual([{ name: 'claims', description: 'Operations of the claims module' }]);
    expect(out.paths['/api/v1/claims']!.post!.parameters).toEqual([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false })]);
    expect(out.paths['/api/v1/claims']!.post!.security).toEqual([{ bearer: [] }]);
    expect(out.servers).toEqual([{ url: '/', description: expect.any(String) }]);
  });

  it('applies @ApiErrors (added, described, removed), keeps a decorator\'s own description, and leaves webhooks without bearer, 415 and 429', () => {
    const doc = docWith({
      '/api/v1/reports/x': { get: { parameters: [{ name: 'shopId', in: 'query' }], responses: { ...ok, 401: { description: 'Who are you' } } } },
      '/webhooks/acme/{shopId}': { post: { parameters: [{ name: 'shopId', in: 'path', required: true }], responses: ok } },
    });
    const routes = new Map([
      facts('get', '/api/v1/reports/x', { errors: { 404: 'No such shop', 429: false } }),
      facts('post', '/webhooks/acme/{shopId}', { public: true }),
    ]);
    const { doc: out } = finishDocument(doc, routes, { serverUrl: 'https://aftersales.example.cn' });
    const report = out.paths['/api/v1/reports/x']!.get!;
    expect(codes(report)).toEqual(['400', '401', '404']);
    expect(report.responses[401]).toMatchObject({ description: 'Who are you', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } } });
    expect(report.responses[404]).toMatchObject({ description: 'No such shop', content: { 'application/json': { example: { statusCode: 404, error: 'Not Found' } } } });
    const hook = out.paths['/webhooks/acme/{shopId}']!.post!;
    expect(codes(hook)).toEqual(['400', '401', '413']);
    expect(hook.security).toEqual([]);
    expect(hook.parameters?.map((p) => ('name' in p ? p.name : p.$ref))).toEqual(['shopId']);
    expect(out.servers![0]!.url).toBe('https://aftersales.example.cn');
  });

  it('reports operations no route was found for, and still treats /webhooks as public', () => {
    const { doc: out, unmatched } = finishDocument(docWith({ '/webhooks/x': { post: { responses: ok } } }), new Map(), { serverUrl: null });
    expect(unmatched).toEqual(['POST /webhooks/x']);
    expect(out.paths['/webhooks/x']!.post!.security).toEqual([]);
  });
});

class ThingDto {
  @ApiProperty({ format: 'uuid' }) orderId: string;
}

abstract class BaseThings {
  @Get(':id')
  get(@Param('id') id: string): string {
    return id;
  }
}

@ApiTags('things')
@Roles(Role.Admin)
@Controller('api/v1/things')
class ThingsController extends BaseThings {
  @Post(':id/poke')
  @ApiErrors({ 422: 'Too pointy' })
  poke(@Param('id') id: string, @Body() dto: ThingDto): string {
    return `${id}${dto.orderId}`;
  }

  @Public()
  @Post('ping')
  ping(): string {
    return 'pong';
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

describe('collectRoutes: route metadata as the guard reads it, without a database', () => {
  it('reads roles, @Public and @ApiErrors of handlers (inherited ones too) in preview mode', async () => {
    const app = await NestFactory.create(ThingsModule, new FastifyAdapter(), { preview: true, logger: false });
    try {
      const routes = collectRoutes(app);
      expect(routes.get('get /api/v1/things/{id}')).toMatchObject({ public: false, roles: [Role.Admin] });
      expect(routes.get('post /api/v1/things/{id}/poke')).toMatchObject({ roles: [Role.Admin], errors: { 422: 'Too pointy' } });
      expect(routes.get('post /api/v1/things/ping')).toMatchObject({ public: true });
      const { doc, unmatched } = buildOpenApiDocument(app, null);
      expect(unmatched).toEqual([]);
      expect(doc.paths['/api/v1/things/{id}/poke']!.post!.responses[422]).toMatchObject({ description: 'Too pointy' });
      expect(doc.paths['/api/v1/things/ping']!.post!.security).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('writes Nest paths the way the document does', () => {
    expect(openApiPath('api/v1/orders', ':id/audit')).toBe('/api/v1/orders/{id}/audit');
    expect(openApiPath('/health', '')).toBe('/health');
    expect(openApiPath('api/v1/settings/returns/', '/')).toBe('/api/v1/settings/returns');
  });
});
