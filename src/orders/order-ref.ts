import type { EntityManager } from 'typeorm';
import { Conflict, NotFound } from '../kernel/errors/domain-errors.js';
import { isUuid } from '../kernel/state-machine/state-machine.engine.js';

/** An order a platform order id or number points at. */
export interface OrderRefMatch {
  id: string;
  shopId: string;
  platformOrderId: string;
  orderNumber: string;
}

/** Looks like something a platform shows people: an id (820982911946154508) or an order number (#1001, WC-727). */
export function looksLikePlatformRef(value: string): boolean {
  return /^#?[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(value);
}

/** SPEC §5: a platform id where our id is expected gets a message that says which lookup to use. */
export function platformRefHint(value: string): string | null {
  if (!looksLikePlatformRef(value)) return null;
  const v = encodeURIComponent(value);
  return `order ids are UUIDs; ${value} looks like a platform order id or number: use GET /api/v1/orders/by-platform-id/${v} (add ?shopId= when several shops have it) or GET /api/v1/orders?q=${v}`;
}

/**
 * The merchant's orders a platform reference names: those whose platform order id is `ref`; when
 * none, those whose order number is `ref` with or without its "#".
 */
export async function findOrdersByPlatformRef(manager: EntityManager, merchantId: string, ref: string, shopId?: string): Promise<OrderRefMatch[]> {
  const byShop = shopId ? 'AND shop_id = $3' : '';
  const params = (v: unknown) => (shopId ? [merchantId, v, shopId] : [merchantId, v]);
  const select = 'SELECT id, shop_id AS "shopId", platform_order_id AS "platformOrderId", order_number AS "orderNumber" FROM orders';
  const byId: OrderRefMatch[] = await manager.query(`${select} WHERE merchant_id = $1 AND platform_order_id = $2 ${byShop} ORDER BY created_at LIMIT 20`, params(ref));
  if (byId.length) return byId;
  const bare = ref.startsWith('#') ? ref.slice(1) : ref;
  return manager.query(`${select} WHERE merchant_id = $1 AND order_number = ANY($2) ${byShop} ORDER BY created_at LIMIT 20`, params([bare, `#${bare}`]));
}

/** 409 naming each candidate: the caller picks a shop (or uses the uuid). */
export function ambiguousRef(ref: string, matches: OrderRefMatch[], how: string): Conflict {
  return new Conflict(`${ref} names ${matches.length} orders in different shops; ${how}`, {
    matches: matches.map((m) => ({ orderId: m.id, shopId: m.shopId, platformOrderId: m.platformOrderId, orderNumber: m.orderNumber })),
  });
}

/**
 * The order uuid a request body's `orderId` means: our uuid as it is, or a platform order id or
 * number when exactly one of the merchant's orders has it (staff copy what the platform shows).
 * None → 404; several (two shops, same number) → 409 listing them, asking for the uuid.
 */
export async function resolveOrderRef(manager: EntityManager, merchantId: string, ref: string): Promise<string> {
  if (isUuid(ref)) return ref;
  const matches = looksLikePlatformRef(ref) ? await findOrdersByPlatformRef(manager, merchantId, ref) : [];
  if (matches.length === 1) return matches[0].id;
  if (matches.length > 1) throw ambiguousRef(ref, matches, 'send the order\'s id (uuid) as orderId');
  throw new NotFound('order', ref, 'orderId takes the order\'s id (uuid), platform order id or order number; find it with GET /api/v1/orders?q=');
}
