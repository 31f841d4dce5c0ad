import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { type Caller, Role } from '../kernel/auth/roles.js';
import { ReconciliationQueryDto, ReconciliationReportDto, RefundRateReportDto, ReportPeriodQueryDto } from './dto/reports.dto.js';
import { ReconciliationService } from './reconciliation.service.js';
import { RefundRateService } from './refund-rate.service.js';
import { ApiErrors } from '../kernel/openapi/api-errors.decorator.js';
import { AfterSalesSummaryService } from './after-sales-summary.service.js';
import { AfterSalesSummaryDto, AfterSalesSummaryQueryDto } from './dto/after-sales-summary.dto.js';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class ReportsController {
  constructor(
    private readonly reconciliation: ReconciliationService,
    private readonly rates: RefundRateService,
    private readonly summary: AfterSalesSummaryService,
  ) {}

  @Get('refund-reconciliation')
  @Roles(Role.Finance, Role.Admin)
  @ApiOperation({ summary: 'Refunds matched against the platforms\' records, with totals (finance, admin); format=csv streams a file for Excel' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ReconciliationReportDto, description: 'CSV: the resolved period in X-Report-From, X-Report-To, X-Report-Timezone' })
  @ApiErrors({ 404: 'No shop with this shopId', 422: 'More rows than REPORT_MAX_JSON_ROWS: ask for format=csv' })
  async refundReconciliation(
    @CurrentCaller() caller: Caller,
    @Query() q: ReconciliationQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReconciliationReportDto | StreamableFile> {
    if (q.format !== 'csv') return this.reconciliation.json(caller, q);
    const file = await this.reconciliation.csv(caller, q);
    reply.header('X-Report-From', file.period.from).header('X-Report-To', file.period.to).header('X-Report-Timezone', file.period.timezone);
    return new StreamableFile(file.stream, { type: 'text/csv; charset=utf-8', disposition: file.disposition });
  }

  @Get('refund-rate')
  @Roles(Role.Supervisor, Role.Admin, Role.Finance)
  @ApiOperation({ summary: '退款率: refunded orders / paid orders per shop and per agent' })
  @ApiOkResponse({ type: RefundRateReportDto })
  @ApiErrors({ 404: 'No shop with this shopId' })
  refundRate(@CurrentCaller() caller: Caller, @Query() q: ReportPeriodQueryDto): Promise<RefundRateReportDto> {
    return this.rates.report(caller, q);
  }

  @Get('after-sales-summary')
  @Roles(Role.Supervisor, Role.Admin, Role.Finance)
  @ApiOperation({ summary: 'After-sales summary (SPEC §12): cases, refund rate, compensation cost, carrier recoveries, SLA, 顾客投诉分类统计表, satisfaction, reviews turned around; format=csv for Excel' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: AfterSalesSummaryDto, description: 'CSV: one section per block; the resolved period in X-Report-From, X-Report-To, X-Report-Timezone' })
  @ApiErrors({ 404: 'No shop with this shopId' })
  async afterSalesSummary(
    @CurrentCaller() caller: Caller,
    @Query() q: AfterSalesSummaryQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AfterSalesSummaryDto | StreamableFile> {
    if (q.format !== 'csv') return this.summary.json(caller, q);
    const file = await this.summary.csv(caller, q);
    reply.header('X-Report-From', file.period.from).header('X-Report-To', file.period.to).header('X-Report-Timezone', file.period.timezone);
    return new StreamableFile(file.body, { type: 'text/csv; charset=utf-8', disposition: file.disposition });
  }
}
