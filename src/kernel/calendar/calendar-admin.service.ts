import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { type Caller, SUPERVISOR_PLUS } from '../auth/roles.js';
import { InvalidInput, NotFound, RuleViolation } from '../errors/domain-errors.js';
import { type CalendarDay, CalendarDayKind, isCalendarDate, type WeeklyHours, WEEKDAYS, windowProblems } from './calendar-rules.js';
import { CalendarDaySource, CalendarRepository, type StoredCalendar } from './calendar.repository.js';
import { CalendarService } from './calendar.service.js';
import { CN_DEFAULT_YEARS } from './cn-default-days.js';
import {
  type CalendarDayResponseDto, type CalendarDaysResponseDto, type CalendarImportResponseDto, type CalendarSettingsResponseDto,
  type PutCalendarDayDto, toCalendarDayResponse, type UpdateCalendarSettingsDto,
} from './dto.js';
import { ICalendarError, parseICalendarDays } from './ical-import.js';
import { defineSettings } from '../settings/settings-section.js';
import { SettingsService } from '../settings/settings.service.js';
import { DEFAULT_QUIET_HOURS } from '../time/business-clock.js';
import { DEFAULT_WEEKLY_HOURS } from './calendar-rules.js';
import { UpdateCalendarSettingsDto as CalendarPatchDto } from './dto.js';

function toSettingsResponse(c: StoredCalendar): CalendarSettingsResponseDto {
  return {
    weeklyHours: Object.fromEntries(WEEKDAYS.map((d) => [d, c.weeklyHours[d] ?? []])) as WeeklyHours,
    quietHours: { start: c.quietHours.start, end: c.quietHours.end },
    defaultLists: CN_DEFAULT_YEARS.filter((y) => c.defaultVersions[String(y.year)] !== undefined).map((y) => ({
      year: y.year,
      version: c.defaultVersions[String(y.year)],
      official: y.official,
      source: y.source,
    })),
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}

/** The calendar's admin API: hours, quiet hours and dated entries of the caller's merchant. */
@Injectable()
export class CalendarAdminService implements OnModuleInit {
  constructor(
    private readonly settings: SettingsService,
    private readonly calendars: CalendarService,
    private readonly repo: CalendarRepository,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The calendar's hours are a settings section too (listed by GET /api/v1/settings), kept in its own tables. */
  onModuleInit(): void {
    this.settings.register(
      defineSettings<CalendarSettingsResponseDto>({
        name: 'calendar',
        description: 'Business hours per weekday and quiet hours (SPEC §4); holidays and make-up days at /api/v1/calendar/days',
        defaults: { weeklyHours: DEFAULT_WEEKLY_HOURS, quietHours: DEFAULT_QUIET_HOURS, defaultLists: [], updatedAt: '' },
        dto: CalendarPatchDto,
        writers: SUPERVISOR_PLUS,
        external: { route: '/api/v1/settings/calendar', load: (merchantId) => this.getSettings({ type: 'system', merchantId }) },
      }),
    );
  }

  async getSettings(caller: Caller): Promise<CalendarSettingsResponseDto> {
    return toSettingsResponse(await this.calendars.ensureSeeded(caller.merchantId));
  }

  async updateSettings(caller: Caller, dto: UpdateCalendarSettingsDto): Promise<CalendarSettingsResponseDto> {
    const saved = await this.db.transaction(async (m) => {
      const current = await this.calendars.ensureSeeded(caller.merchantId, m);
      const weeklyHours = { ...current.weeklyHours };
      for (const day of WEEKDAYS) {
        const given = dto.weeklyHours?.[day];
        if (given) weeklyHours[day] = given.map((w) => ({ start: w.start, end: w.end }));
      }
      const problems = WEEKDAYS.flatMap((d) => windowProblems(weeklyHours[d], d).map((e) => ({ field: `weeklyHours.${d}`, errors: [e] })));
      if (problems.length) throw new InvalidInput('Validation failed', problems);
      if (!WEEKDAYS.some((d) => weeklyHours[d].length > 0)) throw new RuleViolation('The business calendar needs business hours on at least one weekday');
      const quietHours = dto.quietHours ? { start: dto.quietHours.start, end: dto.quietHours.end } : current.quietHours;
      await this.repo.updateHours(caller.merchantId, weeklyHours, quietHours, m);
      return (await this.repo.findCalendar(caller.merchantId, m))!;
    });
    this.calendars.invalidate(caller.merchantId);
    return toSettingsResponse(saved);
  }

  async listDays(caller: Caller, year?: number): Promise<CalendarDaysResponseDto> {
    const y = year ?? DateTime.now().setZone(this.config.defaultTimezone).year;
    await this.calendars.ensureSeeded(caller.merchantId);
    const days = await this.repo.listDays(caller.merchantId, undefined, y);
    return { year: y, days: days.map(toCalendarDayResponse) };
  }

  async putDay(caller: Caller, date: string, dto: PutCalendarDayDto): Promise<CalendarDayResponseDto> {
    const day = checkedDay(date, dto);
    const [saved] = await this.db.transaction(async (m) => {
      await this.calendars.ensureSeeded(caller.merchantId, m);
      return this.repo.upsertDays(caller.merchantId, [day], CalendarDaySource.Merchant, m);
    });
    this.calendars.invalidate(caller.merchantId);
    return toCalendarDayResponse(saved);
  }

  async deleteDay(caller: Caller, date: string): Promise<void> {
    checkDate(date);
    const deleted = await this.db.transaction(async (m) => {
      await this.calendars.ensureSeeded(caller.merchantId, m);
      return this.repo.deleteDay(caller.merchantId, date, m);
    });
    if (!deleted) throw new NotFound('calendar day', date);
    this.calendars.invalidate(caller.merchantId);
  }

  /** Holidays and make-up working days from an iCalendar file; they replace entries on the same dates. */
  async importICalendar(caller: Caller, text: unknown): Promise<CalendarImportResponseDto> {
    if (typeof text !== 'string' || !text.trim()) throw new InvalidInput('The body must be an iCalendar file (text/calendar)');
    let parsed;
    try {
      parsed = parseICalendarDays(text);
    } catch (err) {
      if (!(err instanceof ICalendarError)) throw err;
      if (err.kind === 'malformed') throw new InvalidInput(err.message);
      throw new RuleViolation(err.message);
    }
    if (!parsed.days.length) throw new RuleViolation('No event in the file could be imported', parsed.skipped);
    const saved = await this.db.transaction(async (m) => {
      await this.calendars.ensureSeeded(caller.merchantId, m);
      return this.repo.upsertDays(caller.merchantId, parsed.days, CalendarDaySource.Import, m);
    });
    this.calendars.invalidate(caller.merchantId);
    return {
      events: parsed.events,
      imported: saved.length,
      holidays: saved.filter((d) => d.kind === CalendarDayKind.Holiday).length,
      workdays: saved.filter((d) => d.kind === CalendarDayKind.Workday).length,
      skipped: parsed.skipped,
      days: saved.map(toCalendarDayResponse),
    };
  }
}

function checkDate(date: string): void {
  if (!isCalendarDate(date)) throw new InvalidInput('Validation failed', [{ field: 'date', errors: ['date must be a calendar date yyyy-MM-dd between 1970 and 2100'] }]);
}

function checkedDay(date: string, dto: PutCalendarDayDto): CalendarDay {
  checkDate(date);
  const hours = dto.hours ? dto.hours.map((w) => ({ start: w.start, end: w.end })) : null;
  if (hours && dto.kind !== CalendarDayKind.Workday) {
    throw new InvalidInput('Validation failed', [{ field: 'hours', errors: ['hours may be given for a workday only; a holiday has none'] }]);
  }
  if (hours) {
    const problems = windowProblems(hours, 'hours');
    if (problems.length) throw new InvalidInput('Validation failed', [{ field: 'hours', errors: problems }]);
    if (!hours.length) throw new InvalidInput('Validation failed', [{ field: 'hours', errors: ['a workday needs at least one window; use a holiday to close the day'] }]);
  }
  return { date, kind: dto.kind, name: dto.name ?? null, hours };
}
