import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export const CONSOLE_PREFIX = '/console';

/** The project root: the first folder above this file (src/ or dist/src/) holding package.json. */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

export const defaultConsoleDist = (): string => join(projectRoot(), 'console', 'dist');

const MISSING = 'The console is not built. Run `npm run build:console` (npm install and npm start run it too), then reload this page.\n';

/**
 * The staff console (SPEC §14): a single-page app built by Vite into console/dist and served by the
 * service itself, same origin as the API, so no second server or command. Plain Fastify routes,
 * not Nest controllers: they stay out of the OpenAPI document, the bearer guard and the JSON-only
 * body rules (GETs have no body). Hashed assets are cached for good; every other path under
 * /console answers index.html (the app routes in the browser). A missing build is a 503 that
 * says what to run, not a 500.
 */
export async function registerConsole(app: NestFastifyApplication, distDir = defaultConsoleDist()): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(fastifyStatic, {
    root: join(distDir, 'assets'),
    prefix: `${CONSOLE_PREFIX}/assets/`,
    // /docs (Swagger UI) registered @fastify/static too; one reply.sendFile decorator is enough.
    decorateReply: false,
    immutable: true,
    maxAge: '365d',
  });

  const sendIndex = async (_req: unknown, reply: import('fastify').FastifyReply) => {
    let html: string;
    try {
      html = await readFile(join(distDir, 'index.html'), 'utf8');
    } catch {
      return reply.code(503).header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send(MISSING);
    }
    return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  };
  fastify.get(CONSOLE_PREFIX, (_req, reply) => reply.redirect(`${CONSOLE_PREFIX}/`, 302));
  fastify.get(`${CONSOLE_PREFIX}/`, sendIndex);
  fastify.get(`${CONSOLE_PREFIX}/*`, sendIndex);
}
