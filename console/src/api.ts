import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from '../../src/client/schema';

export type Schemas = components['schemas'];
export type ApiError = Schemas['ErrorResponse'];

const TOKEN_KEY = 'aso.token';
const STAFF_KEY = 'aso.staff';

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  staff: (): Schemas['StaffResponseDto'] | null => {
    const raw = sessionStorage.getItem(STAFF_KEY);
    return raw ? (JSON.parse(raw) as Schemas['StaffResponseDto']) : null;
  },
  set(login: Schemas['LoginResponseDto']): void {
    sessionStorage.setItem(TOKEN_KEY, login.accessToken);
    sessionStorage.setItem(STAFF_KEY, JSON.stringify(login.staff));
  },
  clear(): void {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(STAFF_KEY);
  },
};

const auth: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    // An expired or revoked token: back to the login page rather than a page of 401s.
    if (response.status === 401 && !response.url.endsWith('/api/v1/auth/login') && session.token()) {
      session.clear();
      window.location.assign(`${import.meta.env.BASE_URL}login`);
    }
    return response;
  },
};

/** The typed client of the public API (src/client/schema.ts, generated from the OpenAPI document). */
export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

/**
 * The case page serves every module from `/api/v1/{collection}/{id}` and its `/{action}` routes,
 * whose collection comes from the machines (GET /api/v1/meta/state-machines) at run time: the
 * same client and middleware, with the path chosen from data rather than a literal.
 */
export const dynamicApi = api as unknown as ReturnType<typeof createClient<any>>;

/** A thrown API error, in the API's own words (SPEC §4 ErrorResponse). */
export class ApiFailure extends Error {
  constructor(readonly body: ApiError) {
    super(body.message);
  }
}

/** Unwraps an openapi-fetch result: the data, or an ApiFailure carrying the error body. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    const e = result.error as Partial<ApiError> | undefined;
    throw new ApiFailure({
      statusCode: e?.statusCode ?? result.response.status,
      error: e?.error ?? result.response.statusText,
      message: e?.message ?? `HTTP ${result.response.status}`,
      details: e?.details,
    } as ApiError);
  }
  return result.data as T;
}

/** Saves a Blob under a file name (CSV downloads, attachments). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
