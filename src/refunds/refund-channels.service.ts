import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '../kernel/auth/roles.js';
import { NotFound } from '../kernel/errors/domain-errors.js';
import { SafeHttp } from '../kernel/http/safe-http.js';
import { isUuid } from '../kernel/state-machine/state-machine.engine.js';
import type { PutRefundChannelDto, RefundChannelResponseDto } from './dto/refund-channel.dto.js';
import { refundMethodFor } from './refund-ledger.service.js';

const KEYS = ['apiBaseUrl', 'accessToken', 'apiVersion', 'gateway', 'refundWebhookUrl', 'replyWebhookUrl'] as const;
const URL_KEYS = ['apiBaseUrl', 'refundWebhookUrl', 'replyWebhookUrl'] as const;

function toChannelResponse(shopId: string, platform: string, cfg: Record<string, unknown>): RefundChannelResponseDto {
  const s = (k: string) => (typeof cfg[k] === 'string' ? (cfg[k] as string) : null);
  return {
    shopId,
    platform,
    method: refundMethodFor(platform, cfg, false),
    apiBaseUrl: s('apiBaseUrl'),
    apiVersion: s('apiVersion'),
    gateway: s('gateway'),
    refundWebhookUrl: s('refundWebhookUrl'),
    replyWebhookUrl: s('replyWebhookUrl'),
    hasAccessToken: !!s('accessToken'),
  };
}

/** A shop's refund channel, kept in shops.platform_config (secrets stored, never returned). */
@Injectable()
export class RefundChannelsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly http: SafeHttp,
  ) {}

  async get(caller: Caller, shopId: string): Promise<RefundChannelResponseDto> {
    const shop = await this.find(caller, shopId);
    return toChannelResponse(shop.id, shop.platform, shop.platform_config ?? {});
  }

  async put(caller: Caller, shopId: string, dto: PutRefundChannelDto): Promise<RefundChannelResponseDto> {
    await this.find(caller, shopId);
    const patch: Record<string, string> = {};
    for (const k of KEYS) if (dto[k] !== undefined) patch[k] = k.endsWith('Url') ? dto[k]!.replace(/\/+$/, '') : dto[k]!;
    // SPEC §4: internal addresses are refused here and again on every call.
    for (const k of URL_KEYS) if (patch[k] !== undefined) await this.http.assertAllowed(k, patch[k]);
    await this.db.query(`UPDATE shops SET platform_config = COALESCE(platform_config, '{}'::jsonb) || $3::jsonb, updated_at = now() WHERE id = $1 AND merchant_id = $2`, [
      shopId,
      caller.merchantId,
      JSON.stringify(patch),
    ]);
    return this.get(caller, shopId);
  }

  private async find(caller: Caller, shopId: string): Promise<{ id: string; platform: string; platform_config: Record<string, unknown> }> {
    const rows: Array<{ id: string; platform: string; platform_config: Record<string, unknown> }> = isUuid(shopId)
      ? await this.db.query('SELECT id, platform, platform_config FROM shops WHERE id = $1 AND merchant_id = $2', [shopId, caller.merchantId])
      : [];
    if (!rows.length) throw new NotFound('shop', shopId);
    return rows[0];
  }
}
