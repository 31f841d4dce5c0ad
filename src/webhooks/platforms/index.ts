import type { ShopPlatform } from '../../shops/shop.entity.js';
import { GenericAdapter } from './generic.adapter.js';
import type { PlatformAdapter } from './platform-adapter.js';
import { ShopifyAdapter } from './shopify.adapter.js';
import { WooCommerceAdapter } from './woocommerce.adapter.js';

const ADAPTERS: ReadonlyMap<string, PlatformAdapter> = new Map<string, PlatformAdapter>(
  [new ShopifyAdapter(), new WooCommerceAdapter(), new GenericAdapter()].map((a) => [a.platform, a]),
);

export function adapterFor(platform: string): PlatformAdapter | undefined {
  return ADAPTERS.get(platform);
}

export function adapterOf(platform: ShopPlatform): PlatformAdapter {
  const a = ADAPTERS.get(platform);
  if (!a) throw new Error(`no webhook adapter for ${platform}`);
  return a;
}
