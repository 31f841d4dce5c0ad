// Plain fetch against the service. Every call names the statuses it expects; anything else is a
// DemoHttpError, which ends the demo with a non-zero exit code (it doubles as an end-to-end smoke test).

export class DemoHttpError extends Error {
  constructor(method, path, status, body) {
    const msg = body && typeof body === 'object' ? (body.message ?? JSON.stringify(body)) : String(body ?? '');
    const details = body && typeof body === 'object' && body.details ? ` ${JSON.stringify(body.details)}` : '';
    super(`${method} ${path} answered ${status}: ${typeof msg === 'string' ? msg : JSON.stringify(msg)}${details}`.slice(0, 1500));
    this.status = status;
    this.body = body;
  }
}

export function client(base) {
  /**
   * @param {string} method
   * @param {string} path
   * @param {{token?: string, body?: unknown, form?: FormData, raw?: string, headers?: Record<string,string>, expect?: number[]}} o
   */
  async function call(method, path, o = {}) {
    const headers = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body;
    if (o.form) body = o.form; // fetch sets the multipart boundary
    else if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined || method === 'POST' || method === 'PUT' || method === 'PATCH') {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.body ?? {});
    }
    const res = await fetch(`${base}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    const expect = o.expect ?? (method === 'GET' ? [200] : [200, 201]);
    if (!expect.includes(res.status)) throw new DemoHttpError(method, path, res.status, parsed);
    return { status: res.status, body: parsed, headers: res.headers };
  }
  return {
    call,
    get: (path, token, o = {}) => call('GET', path, { ...o, token }),
    post: (path, token, body, o = {}) => call('POST', path, { ...o, token, body }),
    put: (path, token, body, o = {}) => call('PUT', path, { ...o, token, body }),
    patch: (path, token, body, o = {}) => call('PATCH', path, { ...o, token, body }),
  };
}

/** Polls until `check` returns a truthy value (bounded). */
export async function until(what, check, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
