import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { Caller } from '../kernel/auth/roles.js';
import { InvalidInput, NotFound } from '../kernel/errors/domain-errors.js';
import { mapPage, Page, paginate } from '../kernel/pagination/pagination.js';
import { isUuid } from '../kernel/state-machine/state-machine.engine.js';
import { DEFAULT_BUSINESS_HOURS, DEFAULT_QUIET_HOURS } from '../kernel/time/business-clock.js';
import { CreateShopDto, ListShopsQueryDto, ShopResponseDto, toShopResponse, UpdateShopDto } from './dto.js';
import { Shop } from './shop.entity.js';
import { shipFromColumns } from './ship-from.dto.js';

const SHOP_CACHE_MS = 5_000;

function checkBusinessHours(bh?: { start: string; end: string }): void {
  if (bh && bh.start >= bh.end) {
    throw new InvalidInput('Validation failed', [{ field: 'businessHours', errors: ['businessHours.start must be before businessHours.end'] }]);
  }
}

@Injectable()
export class ShopsService {
  constructor(
    @InjectRepository(Shop) private readonly repo: Repository<Shop>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(caller: Caller, dto: CreateShopDto): Promise<ShopResponseDto> {
    checkBusinessHours(dto.businessHours);
    const shop = this.repo.create({
      merchantId: caller.merchantId,
      name: dto.name,
      platform: dto.platform,
      webhookSecret: dto.webhookSecret,
      trackingSalt: dto.trackingSalt ?? null,
      timezone: dto.timezone ?? this.config.defaultTimezone,
      currency: dto.currency ?? 'CNY',
      businessHours: dto.businessHours ? { ...dto.businessHours } : DEFAULT_BUSINESS_HOURS,
      quietHours: dto.quietHours ? { ...dto.quietHours } : DEFAULT_QUIET_HOURS,
      ...shipFromColumns(dto.shipFrom ?? null),
      platformConfig: {},
    });
    return toShopResponse(await this.repo.save(shop));
  }

  async list(caller: Caller, q: ListShopsQueryDto): Promise<Page<ShopResponseDto>> {
    const qb = this.repo.createQueryBuilder('s').where('s.merchant_id = :m', { m: caller.merchantId });
    if (q.platform) qb.andWhere('s.platform = :p', { p: q.platform });
    return mapPage(await paginate(qb, 's', q), toShopResponse);
  }

  async get(caller: Caller, id: string): Promise<ShopResponseDto> {
    return toShopResponse(await this.findForMerchant(caller.merchantId, id));
  }

  async update(caller: Caller, id: string, dto: UpdateShopDto): Promise<ShopResponseDto> {
    checkBusinessHours(dto.businessHours);
    const shop = await this.findForMerchant(caller.merchantId, id);
    if (dto.name !== undefined) shop.name = dto.name;
    if (dto.webhookSecret !== undefined) shop.webhookSecret = dto.webhookSecret;
    if (dto.trackingSalt !== undefined) shop.trackingSalt = dto.trackingSalt;
    if (dto.timezone !== undefined) shop.timezone = dto.timezone;
    if (dto.businessHours !== undefined) shop.businessHours = { ...dto.businessHours };
    if (dto.quietHours !== undefined) shop.quietHours = { ...dto.quietHours };
    if (dto.shipFrom !== undefined) Object.assign(shop, shipFromColumns(dto.shipFrom));
    const saved = await this.repo.save(shop);
    this.cache.delete(saved.id);
    return toShopResponse(saved);
  }

  /** A shop of this merchant, or 404 (also for another merchant's shop). */
  async findForMerchant(merchantId: string, id: string): Promise<Shop> {
    const shop = isUuid(id) ? await this.repo.findOne({ where: { id, merchantId } }) : null;
    if (!shop) throw new NotFound('shop', id);
    return shop;
  }

  /**
   * For inbound webhooks, which know only the shop id from their path. Platforms deliver in bursts,
   * so shops are kept for a few seconds (SHOP_CACHE_MS): a rotated secret applies at once on this
   * instance and within that time on the others.
   */
  async findById(id: string): Promise<Shop | null> {
    if (!isUuid(id)) return null;
    const hit = this.cache.get(id);
    if (hit && hit.until > Date.now()) return hit.shop;
    const shop = await this.repo.findOne({ where: { id } });
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(id, { shop, until: Date.now() + SHOP_CACHE_MS });
    return shop;
  }

  private readonly cache = new Map<string, { shop: Shop | null; until: number }>();
}
