import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { NotAllowed, Unauthenticated } from '../errors/domain-errors.js';
import { PUBLIC_KEY, ROLES_KEY } from './decorators.js';
import type { Caller, Role } from './roles.js';
import { bearerToken, SessionStore } from './session.store.js';

/** Global guard: a bearer token on every non-public route, then the route's roles. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionStore,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; caller?: Caller }>();
    if (!bearerToken(req.headers.authorization)) throw new Unauthenticated('Missing bearer token');
    const caller = await this.sessions.resolveRequest(req);
    if (!caller) throw new Unauthenticated('Invalid or expired token');
    req.caller = caller;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(caller.role as Role)) {
      throw new NotAllowed(`Role ${caller.role} may not do this; allowed: ${roles.join(', ')}`);
    }
    return true;
  }
}
