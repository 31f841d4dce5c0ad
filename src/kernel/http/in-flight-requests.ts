import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { settledWithin } from '../jobs/settled-within.js';

const COUNTED = Symbol('inFlightCounted');

/**
 * Counts requests from their arrival until their answer is produced, so a shutdown closes the
 * pool only after their handlers are done (SPEC §13). Closing the HTTP server is not enough: it
 * waits for connections, and a client that went away leaves its handler running without one.
 */
@Injectable()
export class InFlightRequests implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private count = 0;
  private waiters: Array<() => void> = [];
  private deadline = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Hooks into the Fastify instance; call before it starts. */
  attach(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', async (req) => {
      (req as FastifyRequest & { [COUNTED]?: boolean })[COUNTED] = true;
      this.count++;
    });
    // The answer is produced (onSend: the handler's work is done, also when the client left);
    // onResponse covers answers that skip onSend.
    fastify.addHook('onSend', async (req) => this.done(req));
    fastify.addHook('onResponse', async (req) => this.done(req));
  }

  onModuleDestroy(): void {
    this.deadline = Date.now() + this.config.shutdownGraceMs;
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.count === 0) return;
    const drained = new Promise<void>((resolve) => this.waiters.push(resolve));
    if (!(await settledWithin(drained, Math.max(0, this.deadline - Date.now())))) {
      this.logger.warn(`${this.count} request(s) still running after ${this.config.shutdownGraceMs} ms`);
    }
  }

  private done(req: FastifyRequest): void {
    const r = req as FastifyRequest & { [COUNTED]?: boolean };
    if (!r[COUNTED]) return;
    r[COUNTED] = false;
    if (--this.count === 0) {
      for (const w of this.waiters.splice(0)) w();
    }
  }
}
