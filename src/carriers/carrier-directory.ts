import type { EntityManager } from 'typeorm';
import { type CarrierEdit, CarrierRegistry } from './carrier-registry.js';
import { DEFAULT_CARRIERS } from './default-carriers.js';

/**
 * A merchant's carrier registry (SPEC §6 carrier identity): the shipped carriers with the
 * merchant's edits, in one small read. Every module that meets a carrier name (the order audit,
 * shipments, carrier pushes, coverage settings) files it under the same code through this.
 * The edits themselves are written by the logistics carriers API.
 */
export async function loadCarrierRegistry(m: EntityManager, merchantId: string): Promise<CarrierRegistry> {
  const rows: Array<{ code: string; display_name: string | null; aliases: string[] }> = await m.query(
    'SELECT code, display_name, aliases FROM carriers WHERE merchant_id = $1 ORDER BY code',
    [merchantId],
  );
  return new CarrierRegistry(DEFAULT_CARRIERS, rows.map((r): CarrierEdit => ({ code: r.code, displayName: r.display_name, aliases: r.aliases })));
}
