import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../auth/decorators.js';
import { type Caller, SUPERVISOR_PLUS } from '../auth/roles.js';
import { CalendarAdminService } from './calendar-admin.service.js';
import {
  CalendarDayResponseDto, CalendarDaysResponseDto, CalendarImportResponseDto, CalendarSettingsResponseDto, ListCalendarDaysQueryDto,
  PutCalendarDayDto, UpdateCalendarSettingsDto,
} from './dto.js';
import { ICalendarBody, ICALENDAR_TYPE } from './icalendar-body.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';

@ApiTags('calendar')
@ApiBearerAuth()
@Controller('api/v1')
export class CalendarController {
  constructor(private readonly calendar: CalendarAdminService) {}

  @Get('settings/calendar')
  @ApiOperation({ summary: 'Business hours per weekday and quiet hours (SPEC §4)' })
  @ApiOkResponse({ type: CalendarSettingsResponseDto })
  getSettings(@CurrentCaller() caller: Caller): Promise<CalendarSettingsResponseDto> {
    return this.calendar.getSettings(caller);
  }

  @Patch('settings/calendar')
  @Roles(...SUPERVISOR_PLUS)
  @ApiOperation({ summary: 'Change business hours or quiet hours (admin, supervisor); omitted parts keep their value' })
  @ApiErrors({ 422: 'No weekday would have business hours' })
  @ApiOkResponse({ type: CalendarSettingsResponseDto })
  updateSettings(@CurrentCaller() caller: Caller, @Body() dto: UpdateCalendarSettingsDto): Promise<CalendarSettingsResponseDto> {
    return this.calendar.updateSettings(caller, dto);
  }

  @Get('calendar/days')
  @ApiOperation({ summary: 'Holidays and make-up working days (法定节假日 / 调休) of a year' })
  @ApiOkResponse({ type: CalendarDaysResponseDto })
  listDays(@CurrentCaller() caller: Caller, @Query() q: ListCalendarDaysQueryDto): Promise<CalendarDaysResponseDto> {
    return this.calendar.listDays(caller, q.year);
  }

  @Put('calendar/days/:date')
  @Roles(...SUPERVISOR_PLUS)
  @ApiOperation({ summary: 'Set a date as a holiday or a make-up working day (admin, supervisor)' })
  @ApiOkResponse({ type: CalendarDayResponseDto })
  putDay(@CurrentCaller() caller: Caller, @Param('date') date: string, @Body() dto: PutCalendarDayDto): Promise<CalendarDayResponseDto> {
    return this.calendar.putDay(caller, date, dto);
  }

  @Delete('calendar/days/:date')
  @HttpCode(204)
  @Roles(...SUPERVISOR_PLUS)
  @ApiOperation({ summary: 'Remove a date\'s entry: the date follows the weekly hours again (admin, supervisor)' })
  @ApiNoContentResponse()
  @ApiErrors({ 404: 'The date has no entry' })
  deleteDay(@CurrentCaller() caller: Caller, @Param('date') date: string): Promise<void> {
    return this.calendar.deleteDay(caller, date);
  }

  @Post('calendar/import')
  @HttpCode(200)
  @Roles(...SUPERVISOR_PLUS)
  @ICalendarBody()
  @ApiConsumes(ICALENDAR_TYPE)
  @ApiBody({ schema: { type: 'string', example: 'BEGIN:VCALENDAR\r\n…\r\nEND:VCALENDAR' }, description: 'An iCalendar file; each VEVENT a holiday, or a working day when marked 补班/上班/workday' })
  @ApiOperation({ summary: 'Import holidays and make-up working days from an iCalendar file (admin, supervisor)' })
  @ApiOkResponse({ type: CalendarImportResponseDto })
  import(@CurrentCaller() caller: Caller, @Body() body: string): Promise<CalendarImportResponseDto> {
    return this.calendar.importICalendar(caller, body);
  }
}
