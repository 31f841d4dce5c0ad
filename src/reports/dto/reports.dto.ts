import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { IsPeriodBound } from '../../kernel/time/period-bound.validator.js';
import { RefundSourceType, RefundStatus } from '../../refunds/refund-status.js';
import { MatchResult } from '../reconciliation.sql.js';

const BOUND_DOC =
  'A date (`2026-11-01`: the shop\'s local midnight) or a date-time without an offset (`2026-11-01T08:00`: shop-local time) — ' +
  'the shop\'s timezone, or the merchant\'s default when no shop is given — or a date-time with an offset, taken as given.';

export class ReportPeriodQueryDto {
  @ApiProperty({ description: `Start of the period (inclusive). ${BOUND_DOC}`, example: '2026-11-01' })
  @IsPeriodBound()
  from: string;

  @ApiProperty({ description: `End of the period (exclusive). ${BOUND_DOC}`, example: '2026-12-01' })
  @IsPeriodBound()
  to: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'One shop; default all shops of the merchant' })
  @IsOptional() @IsUUID()
  shopId?: string;
}

export class ReconciliationQueryDto extends ReportPeriodQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json', description: 'csv streams a UTF-8 (BOM) file for Excel' })
  @IsOptional() @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class ReconciliationRowDto {
  @ApiProperty({ format: 'uuid' }) shopId: string;
  @ApiProperty() shopName: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) orderId: string | null;
  @ApiProperty({ type: String, nullable: true }) orderNumber: string | null;
  @ApiProperty() platformOrderId: string;
  @ApiProperty({ type: String, nullable: true }) customerName: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'Internal refund id; null when missing internally' }) refundId: string | null;
  @ApiProperty({ type: String, nullable: true }) platformRefundId: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Internal amount, minor units' }) internalAmount: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Amount the platform reported, minor units' }) platformAmount: number | null;
  @ApiProperty() currency: string;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ enum: RefundSourceType, nullable: true }) sourceType: RefundSourceType | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The case the refund came from' }) sourceId: string | null;
  @ApiProperty({ type: String, nullable: true }) responsibility: string | null;
  @ApiProperty({ enum: RefundStatus, nullable: true, description: 'Internal status' }) status: RefundStatus | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'When the internal refund was written' }) createdAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'When the platform says it refunded' }) platformRefundedAt: string | null;
  @ApiProperty({ enum: MatchResult }) matchResult: MatchResult;
}

export class ReconciliationTotalDto {
  @ApiProperty({ enum: [...Object.values(MatchResult), 'all'] }) matchResult: MatchResult | 'all';
  @ApiProperty() currency: string;
  @ApiProperty() count: number;
  @ApiProperty({ description: 'Sum of internal amounts, minor units' }) internalAmount: number;
  @ApiProperty({ description: 'Sum of platform amounts, minor units' }) platformAmount: number;
  @ApiProperty({ description: 'internalAmount − platformAmount, minor units' }) difference: number;
}

/** The period as resolved (SPEC §4): instants with the offset of the zone the dates were read in. */
export class ReportPeriodDto {
  @ApiProperty({ format: 'date-time', example: '2026-11-01T00:00:00+08:00', description: 'First instant (inclusive)' }) from: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T00:00:00+08:00', description: 'End (exclusive)' }) to: string;
  @ApiProperty({ example: 'Asia/Shanghai', description: 'The shop\'s timezone, or the merchant\'s default for all shops' }) timezone: string;
}

export class ReconciliationReportDto {
  @ApiProperty({ type: ReportPeriodDto }) period: ReportPeriodDto;
  @ApiProperty({ format: 'date-time', description: 'Same as period.from' }) from: string;
  @ApiProperty({ format: 'date-time', description: 'Same as period.to' }) to: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) shopId: string | null;
  @ApiProperty({ type: [ReconciliationRowDto] }) rows: ReconciliationRowDto[];
  @ApiProperty({ type: [ReconciliationTotalDto], description: 'Per match result and currency, then `all` per currency' }) totals: ReconciliationTotalDto[];
}

export class RefundRateRowDto {
  @ApiProperty({ description: 'Paid orders in the period (成交笔数)' }) paidOrders: number;
  @ApiProperty({ description: 'Orders with a succeeded refund in the period (退款笔数)' }) refundedOrders: number;
  @ApiProperty({ description: 'refundedOrders / paidOrders (0 when nothing was paid), 4 decimals' }) rate: number;
}

export class ShopRefundRateDto extends RefundRateRowDto {
  @ApiProperty({ format: 'uuid' }) shopId: string;
  @ApiProperty() shopName: string;
}

export class AgentRefundRateDto extends RefundRateRowDto {
  @ApiProperty({ format: 'uuid' }) agentId: string;
  @ApiProperty() agentName: string;
}

export class RefundRateReportDto {
  @ApiProperty({ type: ReportPeriodDto }) period: ReportPeriodDto;
  @ApiProperty({ format: 'date-time', description: 'Same as period.from' }) from: string;
  @ApiProperty({ format: 'date-time', description: 'Same as period.to' }) to: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) shopId: string | null;
  @ApiProperty({ type: RefundRateRowDto, description: 'All shops in scope: the average the agents are compared with [002 绩效 六]' }) overall: RefundRateRowDto;
  @ApiProperty({ type: [ShopRefundRateDto] }) shops: ShopRefundRateDto[];
  @ApiProperty({ type: [AgentRefundRateDto], description: 'Refunded orders attributed to the agent / paid orders in scope' }) agents: AgentRefundRateDto[];
}
