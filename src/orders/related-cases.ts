import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface RelatedCase {
  /** Machine name of the case (e.g. `return`, `claim`, `logistics_exception`). */
  type: string;
  id: string;
  status: string;
  /** Not in a terminal state: an open case keeps the order from completing. */
  open: boolean;
  createdAt: Date;
}

/** Lists the cases of one module that concern an order. */
export type RelatedCaseSource = (manager: EntityManager, merchantId: string, orderId: string) => Promise<RelatedCase[]>;

/**
 * Case modules (returns, claims, logistics, reviews, complaints) register how to find their cases
 * of an order; the order detail lists them and `complete` waits while one is open.
 */
@Injectable()
export class RelatedCasesRegistry {
  private readonly sources = new Map<string, RelatedCaseSource>();

  register(type: string, source: RelatedCaseSource): void {
    if (this.sources.has(type)) throw new Error(`related case source ${type} registered twice`);
    this.sources.set(type, source);
  }

  async listFor(manager: EntityManager, merchantId: string, orderId: string): Promise<RelatedCase[]> {
    const all = await Promise.all([...this.sources.values()].map((s) => s(manager, merchantId, orderId)));
    return all.flat().sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  async hasOpen(manager: EntityManager, merchantId: string, orderId: string): Promise<boolean> {
    return (await this.listFor(manager, merchantId, orderId)).some((c) => c.open);
  }
}
