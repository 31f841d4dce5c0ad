import { Module } from '@nestjs/common';
import { AgentKpisController } from './agent-kpis.controller.js';
import { AgentKpisService } from './agent-kpis.service.js';
import { ReportScopeService } from './report-scope.js';
import { SlaBreachRecorder } from './sla-breach-recorder.service.js';

/** The agent KPI sheet [002 售前客服绩效核标准] and the SLA breach history it reads. */
@Module({
  controllers: [AgentKpisController],
  providers: [AgentKpisService, ReportScopeService, SlaBreachRecorder],
})
export class AgentKpisModule {}
