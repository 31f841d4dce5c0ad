import type { Logger } from '@nestjs/common';
import pg from 'pg';

const RECONNECT_MS = 1000;

/**
 * One dedicated connection LISTENing on a channel, reconnecting when it drops. After every
 * (re)connect `onNotify` is called once, since notifications sent while not listening are lost.
 */
export class PgListener {
  private client?: pg.Client;
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onNotify: () => void,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const c = new pg.Client({ connectionString: this.url, application_name: `after-sales-ops:listen:${this.channel}` });
    c.on('notification', () => this.onNotify());
    c.on('error', (e) => this.lost(c, e));
    c.on('end', () => this.lost(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${c.escapeIdentifier(this.channel)}`);
    } catch (e) {
      await c.end().catch(() => undefined);
      if (!this.stopped) {
        this.logger.warn(`LISTEN ${this.channel} failed (${e instanceof Error ? e.message : String(e)}); polling until it reconnects`);
        this.retry = setTimeout(() => void this.connect(), RECONNECT_MS);
      }
      return;
    }
    if (this.stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    this.client = c;
    this.onNotify();
  }

  private lost(c: pg.Client, e?: Error): void {
    if (this.client !== c) return;
    this.client = undefined;
    void c.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn(`LISTEN ${this.channel} connection lost${e ? ` (${e.message})` : ''}; reconnecting`);
    this.retry = setTimeout(() => void this.connect(), RECONNECT_MS);
  }
}
