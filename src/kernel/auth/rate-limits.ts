import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../../config/config.js';
import { SessionStore } from './session.store.js';

export const LOGIN_PATH = '/api/v1/auth/login';
const EXEMPT = 'exempt';

/**
 * Platforms and carriers deliver in bursts from few addresses; their endpoints verify signatures
 * instead. The console's static files (SPEC §14) carry no data: loading the page must not eat the
 * staff member's API budget.
 */
export const isRateLimitExempt = (path: string): boolean =>
  path.startsWith('/webhooks/') || path === '/health' || path === '/console' || path.startsWith('/console/');

/**
 * Request limits of the admin API (SPEC §4), keyed on what the caller cannot choose:
 * - login: per client address (`LOGIN_RATE_LIMIT_*`); the per-account lockout after failed
 *   passwords is the login service's (LoginThrottle), since it needs the email from the body;
 * - everything else: per authenticated staff member — the token is resolved to its staff id, so
 *   rotating junk `Authorization` headers buys nothing: an invalid or missing token counts
 *   against the client address.
 * The address is the socket's (`trustProxy` is off), never a forwarded header.
 */
export async function registerRateLimits(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const sessions = app.get(SessionStore);
  const isLogin = (key: string) => key.startsWith('login:');
  await app.register(rateLimit, {
    global: true,
    keyGenerator: async (req: FastifyRequest) => {
      if (isRateLimitExempt(req.url)) return EXEMPT;
      const route = req.routeOptions?.url ?? req.url.split('?')[0];
      if (route === LOGIN_PATH) return `login:${req.ip}`;
      const caller = await sessions.resolveRequest(req).catch(() => null);
      return caller ? `staff:${caller.staffId}` : `ip:${req.ip}`;
    },
    allowList: (_req, key) => key === EXEMPT,
    max: (_req, key) => (isLogin(key) ? config.login.rateLimitMax : config.rateLimit.max),
    timeWindow: (_req, key) => (isLogin(key) ? config.login.rateLimitWindowMs : config.rateLimit.windowMs),
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `Rate limit exceeded: at most ${ctx.max} requests per ${ctx.after}; retry later`,
    }),
  });
}
