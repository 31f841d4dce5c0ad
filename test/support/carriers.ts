import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How a fake carrier answers its tracking query API. */
export type CarrierBehaviour = 'ok' | 'hang' | 'error500';

export interface FakeTrack {
  events: Array<{ time: string; description: string; location?: string; status?: string; code?: string }>;
}

/**
 * A real HTTP server on 127.0.0.1 standing in for a carrier's query API
 * (`GET /tracking/{trackingNo}`, docs/carriers.md).
 */
export class FakeCarrier {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  readonly tracks = new Map<string, FakeTrack>();
  /** Every request received, with the time it arrived. */
  readonly requests: Array<{ path: string; at: number }> = [];
  url = '';

  constructor(readonly behaviour: CarrierBehaviour) {}

  async start(): Promise<string> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      this.requests.push({ path: req.url ?? '', at: Date.now() });
      if (this.behaviour === 'hang') return; // never answers; the client's timeout must end it
      if (this.behaviour === 'error500') {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal"}');
        return;
      }
      const m = /^\/tracking\/([^/?]+)$/.exec(req.url ?? '');
      const track = m ? this.tracks.get(decodeURIComponent(m[1])) : undefined;
      if (!track) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"unknown tracking number"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ trackingNo: m![1], events: track.events }));
    });
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    const { port } = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    if (this.server) await new Promise<void>((r) => this.server!.close(() => r()));
  }
}

/** Upper-case hex MD5 of param + salt (Kuaidi100). */
export function kuaidi100Sign(param: string, salt: string): string {
  return createHash('md5').update(param + salt, 'utf8').digest('hex').toUpperCase();
}

export interface Kuaidi100Event {
  context: string;
  /** Beijing wall-clock time "yyyy-MM-dd HH:mm:ss". */
  time: string;
}

/**
 * The `param` JSON of a Kuaidi100 push. `correction` sets Kuaidi100's carrier-correction fields: pushes tracked under the
 * corrected code carry autoCheck "1" with comOld and comNew; the abort announcing the correction carries autoCheck "0",
 * an empty comOld and comNew.
 */
export function kuaidi100Param(o: {
  carrier: string; trackingNo: string; state: string; events: Kuaidi100Event[]; status?: string; message?: string;
  correction?: { autoCheck: '0' | '1'; comOld: string; comNew: string };
}): string {
  return JSON.stringify({
    status: o.status ?? 'polling',
    billstatus: 'got',
    message: o.message ?? '',
    ...(o.correction ?? { autoCheck: '0', comOld: '', comNew: '' }),
    lastResult: {
      message: 'ok',
      state: o.state,
      status: '200',
      condition: 'F00',
      ischeck: o.state === '3' ? '1' : '0',
      com: o.carrier,
      nu: o.trackingNo,
      data: o.events.map((e) => ({ context: e.context, time: e.time, ftime: e.time })),
    },
  });
}

/** A Beijing wall-clock "yyyy-MM-dd HH:mm:ss" for an instant. */
export function beijingTime(d: Date): string {
  const b = new Date(d.getTime() + 8 * 3600_000);
  return b.toISOString().slice(0, 19).replace('T', ' ');
}

/** X-Signature of the generic format. */
export function genericSignature(raw: string, salt: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${createHmac('sha256', salt).update(`${t}.${raw}`).digest('hex')}`;
}
