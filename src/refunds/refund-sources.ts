import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RefundRow } from './refund.repository.js';
import type { RefundSourceType } from './refund-status.js';

/** What a case module does when one of its refunds becomes final, inside the same transaction. */
export interface RefundSourceHooks {
  onSucceeded?(manager: EntityManager, refund: RefundRow): Promise<void>;
  onFailed?(manager: EntityManager, refund: RefundRow): Promise<void>;
}

/**
 * Case modules (returns, claims, logistics, reviews) register here how their case follows its
 * refund, e.g. a return moves `refunding → refunded` when its refund succeeds.
 */
@Injectable()
export class RefundSourceRegistry {
  private readonly hooks = new Map<RefundSourceType, RefundSourceHooks>();

  register(type: RefundSourceType, hooks: RefundSourceHooks): void {
    if (this.hooks.has(type)) throw new Error(`refund source ${type} registered twice`);
    this.hooks.set(type, hooks);
  }

  async succeeded(manager: EntityManager, refund: RefundRow): Promise<void> {
    await this.hooks.get(refund.source_type)?.onSucceeded?.(manager, refund);
  }

  async failed(manager: EntityManager, refund: RefundRow): Promise<void> {
    await this.hooks.get(refund.source_type)?.onFailed?.(manager, refund);
  }
}
