import { Global, Module } from '@nestjs/common';
import { AttachmentsModule } from './attachments/attachments.module.js';
import { AuthGuard } from './auth/auth.guard.js';
import { CalendarModule } from './calendar/calendar.module.js';
import { SettingsModule } from './settings/settings.module.js';
import { DueSweeper } from './cases/due-sweeper.service.js';
import { SessionStore } from './auth/session.store.js';
import { SafeHttp } from './http/safe-http.js';
import { InFlightRequests } from './http/in-flight-requests.js';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor.js';
import { JobsService } from './jobs/jobs.service.js';
import { MaintenanceService } from './jobs/maintenance.service.js';
import { ApiDocument } from './openapi/api-document.js';
import { OutboxService } from './outbox/outbox.service.js';
import { MachineRegistry } from './state-machine/machine-registry.js';
import { MetaController } from './state-machine/meta.controller.js';
import { StateMachineEngine } from './state-machine/state-machine.engine.js';
import { TimelineService } from './timeline/timeline.service.js';

/** What every case module shares. */
@Global()
@Module({
  imports: [
    SettingsModule,
    CalendarModule,
    AttachmentsModule,
  ],
  controllers: [MetaController],
  providers: [
    ApiDocument,
    SafeHttp,
    InFlightRequests,
    MaintenanceService,
    DueSweeper,
    StateMachineEngine,
    MachineRegistry,
    TimelineService,
    JobsService,
    OutboxService,
    SessionStore,
    AuthGuard,
    IdempotencyInterceptor,
  ],
  exports: [
    ApiDocument,
    SettingsModule,
    CalendarModule,
    AttachmentsModule,
    DueSweeper,
    SafeHttp,
    InFlightRequests,
    StateMachineEngine,
    MachineRegistry,
    TimelineService,
    JobsService,
    OutboxService,
    SessionStore,
    AuthGuard,
    IdempotencyInterceptor,
  ],
})
export class KernelModule {}
