import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { AGENT_PLUS, type Caller, SUPERVISOR_PLUS } from '../kernel/auth/roles.js';
import { ApiErrors } from '../kernel/openapi/api-errors.decorator.js';
import type { Page } from '../kernel/pagination/pagination.js';
import { AuditFindingDto, AuditFindingPageDto, CreateAuditFindingDto, ListAuditFindingsQueryDto } from './dto/audit-finding.dto.js';
import { AuditFindingsService } from './audit-findings.service.js';

@ApiTags('audit-findings')
@ApiBearerAuth()
@Controller('api/v1/audit-findings')
export class AuditFindingsController {
  constructor(private readonly findings: AuditFindingsService) {}

  @Post()
  @Roles(...SUPERVISOR_PLUS)
  @ApiOperation({ summary: '[002 绩效 七] Record an order-audit error found in an agent\'s work: serious −2, general −0.5 on the KPI sheet (supervisor+)' })
  @ApiCreatedResponse({ type: AuditFindingDto })
  @ApiErrors({ 422: 'Not an agent or order of this merchant; foundAt in the future' })
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateAuditFindingDto): Promise<AuditFindingDto> {
    return this.findings.create(caller, dto);
  }

  @Get()
  @Roles(...AGENT_PLUS)
  @ApiOperation({ summary: 'Audit findings, newest first (an agent sees only their own); filters agentId, severity, from, to' })
  @ApiOkResponse({ type: AuditFindingPageDto })
  list(@CurrentCaller() caller: Caller, @Query() q: ListAuditFindingsQueryDto): Promise<Page<AuditFindingDto>> {
    return this.findings.list(caller, q);
  }
}
