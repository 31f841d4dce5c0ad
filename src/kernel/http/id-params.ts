import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { NotFound } from '../errors/domain-errors.js';
import { isUuid } from '../state-machine/state-machine.engine.js';

/** Path parameters of the admin API that hold our ids (uuids). Other names (`action`, `date`, `platformOrderId`) are free text. */
const UUID_PARAMS: Readonly<Record<string, string | null>> = { id: null, shopId: 'shop' };

export const ID_HINT_KEY = 'aso:id-hint';

/** Tells a caller who sent a non-uuid id what to use instead (e.g. the order lookup by platform id); null for the default. */
export type IdHint = (value: string) => string | null;

/** Declares the hint a controller gives for a non-uuid `:id` (read by {@link UuidParamsInterceptor}). */
export const IdParamHint = (hint: IdHint) => SetMetadata(ID_HINT_KEY, hint);

/** "logistics-exceptions" → "logistics exception", "webhook-deliveries" → "webhook delivery". */
function singular(collection: string): string {
  const words = collection.replace(/-/g, ' ');
  if (words.endsWith('ies')) return `${words.slice(0, -3)}y`;
  return words.endsWith('s') ? words.slice(0, -1) : words;
}

/**
 * One rule for every uuid path parameter of the admin API (SPEC §4–§5): a value that is not a uuid
 * answers 404 saying ids are UUIDs and where to find one — instead of each service's bare 404, or a
 * database error on a uuid column. Runs after the auth guard, so a caller without a token still gets 401.
 */
@Injectable()
export class UuidParamsInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    const route = req.routeOptions?.url ?? '';
    if (!route.startsWith('/api/')) return next.handle();
    const params = (req.params ?? {}) as Record<string, string | undefined>;
    for (const [name, resource] of Object.entries(UUID_PARAMS)) {
      const value = params[name];
      if (value === undefined || isUuid(value)) continue;
      const segments = route.split('/');
      const collection = segments[segments.indexOf(`:${name}`) - 1] ?? 'resource';
      const what = resource ?? singular(collection);
      const hint = name === 'id' ? this.reflector.getAllAndOverride<IdHint | undefined>(ID_HINT_KEY, [ctx.getHandler(), ctx.getClass()])?.(value) : null;
      throw new NotFound(what, value, hint ?? `${what} ids are UUIDs (such as 0b9f7c2e-4d1a-4c3e-9f8a-2b6d5e7a1c90); find the id with GET /api/v1/${name === 'id' ? collection : 'shops'}`);
    }
    return next.handle();
  }
}
