import { RequestMethod, type INestApplicationContext, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import type { NestContainer } from '@nestjs/core';
import { PUBLIC_KEY, ROLES_KEY } from '../auth/decorators.js';
import { API_ERRORS_KEY, type ApiErrorsSpec } from './api-errors.decorator.js';

/** What the document post-processor needs to know of a route that the OpenAPI operation does not say. */
export interface RouteFacts {
  method: string;
  /** OpenAPI form: `/api/v1/returns/{id}/approve`. */
  path: string;
  /** No bearer token (`@Public()`): login, health, webhooks. */
  public: boolean;
  /** `@Roles(...)` restricts the route (the guard answers 403 to other roles). */
  roles: readonly string[];
  errors: ApiErrorsSpec;
}

/** `/api/v1/returns/{id}/approve POST` → the route's facts. */
export type RouteIndex = Map<string, RouteFacts>;

export const routeKey = (method: string, path: string) => `${method.toLowerCase()} ${path}`;

const METHODS: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.DELETE]: 'delete',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.OPTIONS]: 'options',
  [RequestMethod.HEAD]: 'head',
};

/** Nest path pieces → the OpenAPI path (`api/v1/orders` + `:id/audit` → `/api/v1/orders/{id}/audit`). */
export function openApiPath(...parts: string[]): string {
  const joined = `/${parts.filter(Boolean).join('/')}`.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
  return joined.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** Methods of a controller, its base classes' included (a handler may be inherited). */
function handlersOf(controller: Type): object[] {
  const seen = new Set<string>();
  const out: object[] = [];
  for (let proto = controller.prototype as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || seen.has(name)) continue;
      seen.add(name);
      const value = Object.getOwnPropertyDescriptor(proto, name)?.value as unknown;
      if (typeof value === 'function') out.push(value);
    }
  }
  return out;
}

const asList = (p: unknown): string[] => (Array.isArray(p) ? p.map(String) : [typeof p === 'string' ? p : '']);

/**
 * Every route of the application with its auth, roles and declared errors, read from the
 * controllers' metadata as the guard reads it (the route's own decorator over its controller's).
 * Works in Nest's preview mode, so the document can be built without a database.
 */
export function collectRoutes(app: INestApplicationContext): RouteIndex {
  const container = (app as unknown as { container: NestContainer }).container;
  const index: RouteIndex = new Map();
  for (const mod of container.getModules().values()) {
    for (const wrapper of mod.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller || typeof controller !== 'function') continue;
      const own = <T>(key: string, target: object): T | undefined => Reflect.getMetadata(key, target) as T | undefined;
      for (const handler of handlersOf(controller)) {
        const verb = METHODS[own<RequestMethod>(METHOD_METADATA, handler) as RequestMethod];
        const routePath = own<unknown>(PATH_METADATA, handler);
        if (!verb || routePath === undefined) continue;
        const pick = <T>(key: string): T | undefined => own<T>(key, handler) ?? own<T>(key, controller);
        const facts = {
          public: pick<boolean>(PUBLIC_KEY) === true,
          roles: pick<string[]>(ROLES_KEY) ?? [],
          errors: { ...own<ApiErrorsSpec>(API_ERRORS_KEY, controller), ...own<ApiErrorsSpec>(API_ERRORS_KEY, handler) },
        };
        for (const base of asList(own<unknown>(PATH_METADATA, controller))) {
          for (const sub of asList(routePath)) {
            const path = openApiPath(base, sub);
            index.set(routeKey(verb, path), { method: verb, path, ...facts });
          }
        }
      }
    }
  }
  return index;
}
