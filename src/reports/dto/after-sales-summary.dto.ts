import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ReportPeriodDto, ReportPeriodQueryDto } from './reports.dto.js';

export class AfterSalesSummaryQueryDto extends ReportPeriodQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json', description: 'csv: a UTF-8 (BOM) file for Excel, one section per block' })
  @IsOptional() @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

/** Cases of one module and type: opened, first resolved and closed in the period. */
export class SummaryCaseRowDto {
  @ApiProperty({ example: 'claim', description: 'Machine name: claim, return, review, complaint, logistics_exception' }) module: string;
  @ApiProperty({
    type: String, nullable: true, example: 'broken',
    description: 'claim: its type; return: refund_only / return_refund / exchange; review: neutral (3★) / bad (1–2★); complaint: its category; logistics_exception: its kind',
  })
  type: string | null;
  @ApiProperty({ description: 'Created in the period' }) opened: number;
  @ApiProperty({ description: 'First reached a resolved state in the period' }) resolved: number;
  @ApiProperty({ description: 'Closed in the period (and not reopened since)' }) closed: number;
}

/** 退款率 over the period, as GET /reports/refund-rate computes it overall. */
export class SummaryRefundRateDto {
  @ApiProperty({ description: 'Orders paid in the period (成交笔数)' }) paidOrders: number;
  @ApiProperty({ description: 'Distinct orders with a refund that succeeded in the period (退款笔数)' }) refundedOrders: number;
  @ApiProperty({ description: 'refundedOrders / paidOrders, 4 decimals; 0 when nothing was paid' }) rate: number;
}

/** What after-sales cost the merchant in the period, per currency; amounts in minor units of `currency`. */
export class SummaryCompensationRowDto {
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ description: 'Refunds that succeeded in the period (any source: returns, claims, reviews, logistics, goodwill), minor units' }) refunds: number;
  @ApiProperty() refundCount: number;
  @ApiProperty({ description: 'Reships created in the period at goods cost plus freight (claims, logistics exceptions) and reship remedies of reviews accepted in the period, minor units' }) reships: number;
  @ApiProperty() reshipCount: number;
  @ApiProperty({ description: 'Gifts at cost: claim gifts given with a next order in the period, gift remedies of reviews accepted in the period, minor units' }) gifts: number;
  @ApiProperty() giftCount: number;
  @ApiProperty({ description: 'Complaint plans carried out in the period, at their actual cost, minor units' }) complaintRemedies: number;
  @ApiProperty() complaintRemedyCount: number;
  @ApiProperty({ description: 'refunds + reships + gifts + complaintRemedies, minor units' }) total: number;
  @ApiProperty({ description: 'Recovered from carriers on cases closed in the period (see carrierRecoveries), minor units' }) recovered: number;
  @ApiProperty({ description: 'total − recovered, minor units' }) net: number;
}

/** Carrier compensation [000 努力做到零赔付], per module and currency; amounts in minor units. */
export class SummaryRecoveryRowDto {
  @ApiProperty({ example: 'claim', description: 'claim or logistics_exception' }) module: string;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ description: 'Carrier claims filed in the period (claims only)' }) claimsFiled: number;
  @ApiProperty({ description: 'Amount claimed by those, minor units' }) amountClaimed: number;
  @ApiProperty({ description: 'Cases closed in the period with something recovered' }) casesRecovered: number;
  @ApiProperty({ description: 'Recovered on cases closed in the period, minor units' }) recovered: number;
  @ApiProperty({ description: 'Carrier claims settled in the period in full (claims only)' }) full: number;
  @ApiProperty({ description: '… in part' }) partial: number;
  @ApiProperty({ description: '… with nothing' }) none: number;
}

/** Deadlines kept, per module (SPEC §3 SLA): cases and follow-up calls. */
export class SummarySlaRowDto {
  @ApiProperty({ example: 'claim' }) module: string;
  @ApiProperty({ description: 'First reached a resolved (or, without one, a closed) state in the period' }) finished: number;
  @ApiProperty({ description: 'Of those, without any deadline missed before that moment' }) onTime: number;
  @ApiProperty({ description: 'finished − onTime' }) late: number;
  @ApiProperty({ type: Number, nullable: true, description: 'onTime / finished, 4 decimals; null when none finished' }) complianceRate: number | null;
  @ApiProperty({ description: 'Open at the period\'s end (or now, if earlier) and past the deadline of the step it is in now' }) openOverdue: number;
}

/** A row of the 顾客投诉分类统计表 [000 step 6]: complaints of one category by responsible department. */
export class SummaryComplaintRowDto {
  @ApiProperty({ example: 'product_quality', description: 'Complaint category, or `total` for the last row' }) category: string;
  @ApiProperty({ description: '责任部门 客服 service' }) service: number;
  @ApiProperty({ description: '仓库 warehouse' }) warehouse: number;
  @ApiProperty({ description: '物流 logistics' }) logistics: number;
  @ApiProperty({ description: '产品 product' }) product: number;
  @ApiProperty({ description: '其他 other' }) other: number;
  @ApiProperty({ description: 'No department (unfounded, or not investigated yet)' }) unassigned: number;
  @ApiProperty({ description: 'All complaints of the category reported in the period' }) total: number;
  @ApiProperty({ description: 'Of those, serious' }) serious: number;
  @ApiProperty({ description: 'Of those, judged founded' }) founded: number;
}

/** Follow-up calls (回访) recorded in the period, by the module of the case followed. */
export class SummarySatisfactionRowDto {
  @ApiProperty({ example: 'return', description: 'Module of the case followed, or `all` for the last row' }) module: string;
  @ApiProperty({ description: '满意' }) satisfied: number;
  @ApiProperty({ description: '一般' }) neutral: number;
  @ApiProperty({ description: '不满意' }) unsatisfied: number;
  @ApiProperty({ description: 'Results recorded in the period' }) answered: number;
  @ApiProperty({ type: Number, nullable: true, description: 'satisfied / answered, 4 decimals; null when none' }) satisfactionRate: number | null;
}

/** Bad-review recovery (SPEC §9) per currency of the shops. */
export class SummaryReviewRowDto {
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ description: 'Neutral and bad reviews (1–3★ as first posted) reviewed in the period' }) received: number;
  @ApiProperty({ description: 'Recoveries closed in the period (any outcome)' }) closed: number;
  @ApiProperty({ description: 'Revised to a better rating in the period (turned around)' }) revised: number;
  @ApiProperty({ description: 'Of those, first posted bad (1–2★)' }) revisedFromBad: number;
  @ApiProperty({ description: 'Of those, first posted neutral (3★)' }) revisedFromNeutral: number;
  @ApiProperty({ type: Number, nullable: true, description: 'revised / closed, 4 decimals; null when none closed' }) revisionRate: number | null;
  @ApiProperty({ description: 'What the reviews revised in the period cost (refunds that succeeded, gifts, reships), minor units' }) revisedCost: number;
  @ApiProperty({ description: 'What all recoveries closed in the period cost, minor units' }) closedCost: number;
}

export class AfterSalesSummaryDto {
  @ApiProperty({ type: ReportPeriodDto }) period: ReportPeriodDto;
  @ApiProperty({ format: 'date-time', description: 'Same as period.from' }) from: string;
  @ApiProperty({ format: 'date-time', description: 'Same as period.to' }) to: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) shopId: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the figures were read (open-overdue counts are as of then when the period has not ended)' }) generatedAt: string;
  @ApiProperty({ type: [SummaryCaseRowDto], description: 'Cases opened / resolved / closed by module and type' }) cases: SummaryCaseRowDto[];
  @ApiProperty({ type: SummaryRefundRateDto }) refundRate: SummaryRefundRateDto;
  @ApiProperty({ type: [SummaryCompensationRowDto], description: 'Compensation cost per currency' }) compensation: SummaryCompensationRowDto[];
  @ApiProperty({ type: [SummaryRecoveryRowDto], description: 'Carrier recoveries per module and currency' }) carrierRecoveries: SummaryRecoveryRowDto[];
  @ApiProperty({ type: [SummarySlaRowDto], description: 'SLA compliance per module' }) sla: SummarySlaRowDto[];
  @ApiProperty({ type: [SummaryComplaintRowDto], description: '顾客投诉分类统计表: category × responsible department, then a total row' }) complaints: SummaryComplaintRowDto[];
  @ApiProperty({ type: [SummarySatisfactionRowDto], description: 'Follow-up satisfaction per module, then `all`' }) followUpSatisfaction: SummarySatisfactionRowDto[];
  @ApiProperty({ type: [SummaryReviewRowDto], description: 'Reviews turned around and their cost, per currency' }) reviews: SummaryReviewRowDto[];
}
