import { useCallback, useEffect, useState } from 'react';
import { api, ApiFailure, unwrap, type ApiError, type Schemas } from './api';

export interface Loaded<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  reload(): void;
}

const asApiError = (err: unknown): ApiError =>
  err instanceof ApiFailure ? err.body : ({ statusCode: 0, error: 'Network error', message: err instanceof Error ? err.message : String(err) } as ApiError);

/** Loads once per change of `deps`; errors kept in the API's words. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (err: unknown) => live && setState({ error: asApiError(err), loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

export { asApiError };

let machinesPromise: Promise<Schemas['MachineDescriptionDto'][]> | undefined;
/** Every machine (states, actions, input schemas): fetched once per page load. */
export function loadMachines(): Promise<Schemas['MachineDescriptionDto'][]> {
  machinesPromise ??= api.GET('/api/v1/meta/state-machines').then(unwrap).catch((err: unknown) => {
    machinesPromise = undefined;
    throw err;
  });
  return machinesPromise;
}

let shopsPromise: Promise<Schemas['ShopResponseDto'][]> | undefined;
export function loadShops(): Promise<Schemas['ShopResponseDto'][]> {
  shopsPromise ??= api
    .GET('/api/v1/shops', { params: { query: { limit: 100 } } })
    .then(unwrap)
    .then((p) => p.items)
    .catch((err: unknown) => {
      shopsPromise = undefined;
      throw err;
    });
  return shopsPromise;
}

/** Staff names for assignee filters; agents may not list staff (403), then the filter stays empty. */
export function loadStaff(): Promise<Schemas['StaffResponseDto'][]> {
  return api
    .GET('/api/v1/staff', { params: { query: { limit: 100 } } })
    .then(unwrap)
    .then((p) => p.items)
    .catch(() => []);
}
