import { ApiProperty } from '@nestjs/swagger';
import type { EntityManager } from 'typeorm';

/**
 * [002 少量渗漏: 承诺客户下次以赠品补偿] a gift promised to the customer (by a claim), shown at the audit of
 * the customer's next order so it goes into the parcel; the claims module writes them and counts
 * them when that order ships.
 */
export class PendingGiftDto {
  @ApiProperty({ format: 'uuid', description: 'The claim that promised it' }) claimId: string;
  @ApiProperty({ format: 'uuid', description: 'The order the claim was about' }) sourceOrderId: string;
  @ApiProperty({ type: String, nullable: true, example: '赠品: 小样一份' }) note: string | null;
  @ApiProperty({ description: 'At cost, minor units' }) giftCost: number;
  @ApiProperty({ enum: ['pending', 'given'], description: 'given: this order shipped with it' }) status: 'pending' | 'given';
  @ApiProperty({ format: 'date-time' }) promisedAt: Date;
}

/** Gifts the customer (by E.164 phone) is owed, promised on another order, or given with this one. */
export async function pendingGiftsOf(
  m: EntityManager,
  order: { id: string; merchantId: string; customerPhoneE164: string | null },
): Promise<PendingGiftDto[]> {
  const rows: Array<{ claim_id: string; source_order_id: string; note: string | null; gift_cost: string; status: 'pending' | 'given'; created_at: Date }> = await m.query(
    `SELECT claim_id, source_order_id, note, gift_cost, status, created_at FROM customer_gifts
      WHERE merchant_id = $1 AND (given_order_id = $2
         OR (status = 'pending' AND customer_phone_e164 = $3 AND source_order_id <> $2
             -- a reship replaces goods; the gift goes with the customer's next purchase
             AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = $2 AND o.reship_of IS NOT NULL)))
      ORDER BY created_at, id`,
    [order.merchantId, order.id, order.customerPhoneE164],
  );
  return rows.map((r) => ({ claimId: r.claim_id, sourceOrderId: r.source_order_id, note: r.note, giftCost: Number(r.gift_cost), status: r.status, promisedAt: r.created_at }));
}
