import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { type Caller, Role } from '../kernel/auth/roles.js';
import { ApiErrors } from '../kernel/openapi/api-errors.decorator.js';
import { AgentKpisService } from './agent-kpis.service.js';
import { AgentKpisQueryDto, AgentKpisReportDto } from './dto/agent-kpis.dto.js';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class AgentKpisController {
  constructor(private readonly kpis: AgentKpisService) {}

  // Finance too: the seed hands the sheet to finance for the pay (形成绩效考核表予财务安排发放工资 [002]).
  @Get('agent-kpis')
  @Roles(Role.Supervisor, Role.Admin, Role.Finance, Role.Agent)
  @ApiOperation({ summary: '[002 售前客服绩效核标准] The agent KPI sheet of a shop-local month: each component with its inputs, total C, pay factor (100 + C)% (supervisor, admin, finance; an agent gets only their own row)' })
  @ApiOkResponse({ type: AgentKpisReportDto })
  @ApiErrors({ 404: 'No shop with this shopId' })
  agentKpis(@CurrentCaller() caller: Caller, @Query() q: AgentKpisQueryDto): Promise<AgentKpisReportDto> {
    return this.kpis.report(caller, q);
  }
}
