import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Caller } from '../kernel/auth/roles.js';
import { NotFound } from '../kernel/errors/domain-errors.js';
import { mapPage, Page, paginate } from '../kernel/pagination/pagination.js';
import { isUuid } from '../kernel/state-machine/state-machine.engine.js';
import { ListDeliveriesQueryDto, toDeliveryDetail, toDeliveryResponse, WebhookDeliveryDetailDto, WebhookDeliveryResponseDto } from './dto.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookProcessorService } from './webhook-processor.service.js';

/** The inbox for admins: audit what platforms sent, replay a delivery. */
@Injectable()
export class WebhookDeliveriesService {
  constructor(
    @InjectRepository(WebhookDelivery) private readonly repo: Repository<WebhookDelivery>,
    private readonly processor: WebhookProcessorService,
  ) {}

  async list(caller: Caller, q: ListDeliveriesQueryDto): Promise<Page<WebhookDeliveryResponseDto>> {
    const qb = this.repo.createQueryBuilder('d').where('d.merchant_id = :m', { m: caller.merchantId });
    if (q.shopId) qb.andWhere('d.shop_id = :shop', { shop: q.shopId });
    if (q.status) qb.andWhere('d.status = :status', { status: q.status });
    if (q.topic) qb.andWhere('d.topic = :topic', { topic: q.topic });
    if (q.orderId) qb.andWhere('d.order_id = :order', { order: q.orderId });
    return mapPage(await paginate(qb, 'd', q), toDeliveryResponse);
  }

  async get(caller: Caller, id: string): Promise<WebhookDeliveryDetailDto> {
    await this.mustFind(caller, id);
    const d = await this.repo.createQueryBuilder('d').addSelect('d.rawBody').where('d.id = :id', { id }).getOneOrFail();
    return toDeliveryDetail(d);
  }

  /** Runs the stored delivery through processing again; the stale-version rule still applies. */
  async replay(caller: Caller, id: string): Promise<WebhookDeliveryDetailDto> {
    const d = await this.mustFind(caller, id);
    await this.processor.process(d.id, { replay: true });
    return this.get(caller, id);
  }

  private async mustFind(caller: Caller, id: string): Promise<WebhookDelivery> {
    const d = isUuid(id) ? await this.repo.findOne({ where: { id, merchantId: caller.merchantId } }) : null;
    if (!d) throw new NotFound('webhook delivery', id);
    return d;
  }
}
