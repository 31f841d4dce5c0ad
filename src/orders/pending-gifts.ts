import { ApiProperty } from '@nestjs/swagger';

/**
 * [002 少量渗漏: 承诺客户下次以赠品补偿] a gift promised to the customer (by a claim), shown at the audit of
 * the customer's next order so it goes into the parcel; the claims module writes them and counts
 * them when that order ships. Read with the order's detail (order-detail.query.ts): the customer's
 * (by E.164 phone) gifts promised on another order, or given with this one.
 */
export class PendingGiftDto {
  @ApiProperty({ format: 'uuid', description: 'The claim that promised it' }) claimId: string;
  @ApiProperty({ format: 'uuid', description: 'The order the claim was about' }) sourceOrderId: string;
  @ApiProperty({ type: String, nullable: true, example: '赠品: 小样一份' }) note: string | null;
  @ApiProperty({ description: 'At cost, minor units' }) giftCost: number;
  @ApiProperty({ enum: ['pending', 'given'], description: 'given: this order shipped with it' }) status: 'pending' | 'given';
  @ApiProperty({ format: 'date-time' }) promisedAt: Date;
}
