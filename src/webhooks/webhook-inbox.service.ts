import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InvalidInput, NotFound, Unauthenticated } from '../kernel/errors/domain-errors.js';
import { ShopsService } from '../shops/shops.service.js';
import type { WebhookAckDto } from './dto.js';
import { adapterFor } from './platforms/index.js';
import type { Headers } from './platforms/platform-adapter.js';
import { isWooPing } from './platforms/woocommerce.adapter.js';
import { DeliveryStatus } from './webhook-delivery.entity.js';

/**
 * The fast half of inbound webhooks: verify the signature over the raw body, keep the delivery
 * in the inbox exactly once per delivery id (the inbox is also the processing queue), answer.
 */
@Injectable()
export class WebhookInboxService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly shops: ShopsService,
  ) {}

  async receive(platform: string, shopId: string, headers: Headers, raw: Buffer | undefined): Promise<WebhookAckDto> {
    const adapter = adapterFor(platform);
    if (!adapter) throw new NotFound('webhook platform', platform);
    if (adapter.platform === 'woocommerce' && isWooPing(raw, headers)) return { received: true, duplicate: false, id: null };
    adapter.precheck(headers, new Date());
    if (!raw?.length) throw new Unauthenticated('Invalid webhook signature');
    // An unknown shop, another platform's shop and a forged signature answer alike: nothing to learn here.
    const shop = await this.shops.findById(shopId);
    if (!shop || shop.platform !== adapter.platform || !adapter.verify(raw, headers, shop.webhookSecret)) {
      throw new Unauthenticated('Invalid webhook signature');
    }
    const env = adapter.envelope(raw, headers);
    if (env.deliveryId.length > 200) throw new InvalidInput('Delivery id is longer than 200 characters');
    if (env.topic.length > 100) throw new InvalidInput('Topic is longer than 100 characters');

    // One statement is the whole cost of an accepted delivery: the row is also its queue entry,
    // and a trigger wakes the workers when it commits (SPEC §13). The same delivery id again (a
    // retry, or 20 at once) only counts as a duplicate: no second effect.
    const rows: Array<{ id: string; inserted: boolean }> = await this.db.query(
      `INSERT INTO webhook_deliveries (merchant_id, shop_id, platform, topic, delivery_id, event_at, headers, raw_body, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (shop_id, delivery_id) DO UPDATE SET duplicates = webhook_deliveries.duplicates + 1, last_seen_at = now()
       RETURNING id, (xmax = 0) AS inserted`,
      [shop.merchantId, shop.id, shop.platform, env.topic, env.deliveryId, env.eventAt, JSON.stringify(env.headers), raw, DeliveryStatus.Received],
    );
    const row = rows[0];
    return { received: true, duplicate: !row.inserted, id: row.id };
  }
}
