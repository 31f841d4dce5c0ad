import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Caller, Role } from './roles.js';

export const PUBLIC_KEY = 'aso:public';
export const ROLES_KEY = 'aso:roles';

/** The route needs no bearer token (login, health, webhooks that verify their own signature). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles may call the route. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The authenticated staff caller, set by the auth guard. */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const req = ctx.switchToHttp().getRequest<{ caller?: Caller }>();
  if (!req.caller) throw new Error('CurrentCaller used on a public route');
  return req.caller;
});
