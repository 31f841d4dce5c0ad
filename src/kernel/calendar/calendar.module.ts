import { Module } from '@nestjs/common';
import { SettingsModule } from '../settings/settings.module.js';
import { CalendarAdminService } from './calendar-admin.service.js';
import { CalendarController } from './calendar.controller.js';
import { CalendarRepository } from './calendar.repository.js';
import { CalendarService } from './calendar.service.js';

/** The business calendar (SPEC §4): `CalendarService` for deadlines, its admin API for the merchant. */
@Module({
  imports: [SettingsModule],
  controllers: [CalendarController],
  providers: [CalendarRepository, CalendarService, CalendarAdminService],
  exports: [CalendarService],
})
export class CalendarModule {}
