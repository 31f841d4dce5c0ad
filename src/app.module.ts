import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AttributionModule } from './attribution/attribution.module.js';
import { AuditsModule } from './audits/audits.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ComplaintsModule } from './complaints/complaints.module.js';
import { AppConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { EventsModule } from './events/events.module.js';
import { FollowUpsModule } from './follow-ups/follow-ups.module.js';
import { dataSourceOptions } from './database/data-source.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { AuthGuard } from './kernel/auth/auth.guard.js';
import { AllExceptionsFilter } from './kernel/errors/all-exceptions.filter.js';
import { createValidationPipe } from './kernel/errors/validation.js';
import { UuidParamsInterceptor } from './kernel/http/id-params.js';
import { IdempotencyInterceptor } from './kernel/idempotency/idempotency.interceptor.js';
import { KernelModule } from './kernel/kernel.module.js';
import { LogisticsModule } from './logistics/logistics.module.js';
import { ShopsModule } from './shops/shops.module.js';
import { StaffModule } from './staff/staff.module.js';
import { CarrierWebhooksModule } from './webhooks/carriers/carrier-webhooks.module.js';
import { RefundsModule } from './refunds/refunds.module.js';
import { ReturnsModule } from './returns/returns.module.js';
import { ClaimsModule } from './claims/claims.module.js';
import { ReviewsModule } from './reviews/reviews.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { TasksModule } from './tasks/tasks.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { WorklistModule } from './worklist/worklist.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  databaseUrl: string;
  /** Extra modules (tests register their own machines this way). */
  extraModules?: Array<Type | DynamicModule>;
}

@Module({})
export class AppModule {
  static forRoot(opts: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(opts.config),
        DatabaseModule.forRoot(opts.databaseUrl),
        TypeOrmModule.forRoot(dataSourceOptions(opts.databaseUrl, 20, opts.config.logLevel !== 'silent')),
        KernelModule,
        HealthModule,
        AuthModule,
        StaffModule,
        ShopsModule,
        EventsModule,
        TasksModule,
        OrdersModule,
        AttributionModule,
        AuditsModule,
        WebhooksModule,
        RefundsModule,
        ReturnsModule,
        ClaimsModule,
        ReviewsModule,
        ReportsModule,
        LogisticsModule,
        CarrierWebhooksModule,
        ComplaintsModule,
        FollowUpsModule,
        WorklistModule,
        ...(opts.extraModules ?? []),
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: UuidParamsInterceptor },
        { provide: APP_INTERCEPTOR, useExisting: IdempotencyInterceptor },
      ],
    };
  }
}
