import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { BusinessHours, DailyWindow } from '../kernel/time/business-clock.js';

export enum ShopPlatform {
  /** Shopify: HMAC-SHA256 (base64) webhooks, Admin REST API for refunds. */
  Shopify = 'shopify',
  /** WooCommerce: HMAC-SHA256 (base64) webhooks. */
  WooCommerce = 'woocommerce',
  /** Our own documented signed JSON format, for marketplaces without a native adapter. */
  Generic = 'generic',
}

@Entity('shops')
export class Shop {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'merchant_id' }) merchantId: string;
  @Column('text') name: string;
  @Column('text') platform: ShopPlatform;
  @Column('text') timezone: string;
  @Column('char', { length: 3 }) currency: string;
  @Column('jsonb', { name: 'business_hours' }) businessHours: BusinessHours;
  @Column('jsonb', { name: 'quiet_hours' }) quietHours: DailyWindow;
  /** Signs inbound webhooks; stored, never returned. */
  @Column('text', { name: 'webhook_secret' }) webhookSecret: string;
  /** Signs carrier tracking pushes; stored, never returned. */
  @Column('text', { name: 'tracking_salt', nullable: true }) trackingSalt: string | null;
  /** Ship-from address (SPEC §6 origin): the province new order shipments leave from. */
  @Column('text', { name: 'ship_from_province', nullable: true }) shipFromProvince: string | null;
  @Column('text', { name: 'ship_from_city', nullable: true }) shipFromCity: string | null;
  @Column('text', { name: 'ship_from_address', nullable: true }) shipFromAddress: string | null;
  @Column('jsonb', { name: 'platform_config', default: {} }) platformConfig: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
