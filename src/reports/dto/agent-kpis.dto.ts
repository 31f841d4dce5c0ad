import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches } from 'class-validator';

/** The components of the sheet, in the seed's numbering [002 售前客服绩效核标准], then SLA (SPEC §12). */
export enum KpiComponentKey {
  /** 二 值班流失单数 */
  LostUnpaidOrders = 'lost_unpaid_orders',
  /** 五 服务引起的中差评 */
  ServiceReviews = 'service_reviews',
  /** 六 退款率 */
  RefundRate = 'refund_rate',
  /** 七 后台审单失误 */
  AuditErrors = 'audit_errors',
  /** 八 完成安排任务 (日回访任务) */
  FollowUpsNotDone = 'follow_ups_not_done',
  /** SPEC §12 SLA breaches */
  SlaBreaches = 'sla_breaches',
}

export class AgentKpisQueryDto {
  @ApiProperty({ description: 'A calendar month, read in the shop\'s timezone (the merchant\'s without shopId)', example: '2026-11', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' })
  @IsString() @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM, e.g. 2026-11' })
  month: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'One shop; default all shops of the merchant' })
  @IsOptional() @IsUUID()
  shopId?: string;
}

export class KpiComponentDto {
  @ApiProperty({ enum: KpiComponentKey }) key: KpiComponentKey;
  @ApiProperty({ example: '服务引起的中差评' }) title: string;
  @ApiProperty({ example: 'Service-caused neutral/bad reviews' }) titleEn: string;
  @ApiProperty({ description: 'The rule applied, with its source', example: '中评 −0.5, 差评 −1, none in the month +1 [002 绩效 五]' }) rule: string;
  @ApiProperty({
    type: 'object', additionalProperties: true,
    description: 'What the score was computed from: counts, rates and the ids counted (lists capped at 50; the counts are complete)',
  })
  inputs: Record<string, unknown>;
  @ApiProperty({ description: 'Points (one decimal)', example: -1.5 }) score: number;
}

export class AgentKpiRowDto {
  @ApiProperty({ format: 'uuid' }) agentId: string;
  @ApiProperty() agentName: string;
  @ApiProperty({ type: [KpiComponentDto] }) components: KpiComponentDto[];
  @ApiProperty({ description: 'C: the sum of the component scores', example: -0.7 }) total: number;
  @ApiProperty({ description: 'Pay = X × (100 + C)% [002 工资计算方式]', example: 99.3 }) payFactorPercent: number;
}

export class AgentKpisReportDto {
  @ApiProperty({ example: '2026-11' }) month: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-01T00:00:00+08:00', description: 'First instant of the month (inclusive)' }) from: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T00:00:00+08:00', description: 'First instant of the next month (exclusive)' }) to: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timezone: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) shopId: string | null;
  @ApiProperty({ description: 'Refunded / paid orders over all agents\' attributed deals (平均退款率), 4 decimals' }) teamRefundRate: number;
  @ApiProperty({ type: [AgentKpiRowDto], description: 'Active agents by name; an agent caller gets only their own row' }) agents: AgentKpiRowDto[];
}
