import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { type Caller, Role } from '../kernel/auth/roles.js';
import { SettingsService } from '../kernel/settings/settings.service.js';
import { LogisticsSettingsResponseDto, ScanDto, ScanResponseDto, toLogisticsExceptionResponse } from './dto/logistics-exception.dto.js';
import { logisticsSettings, LogisticsSettingsDto } from './logistics-settings.js';
import { StaleScanService } from './stale-scan.service.js';

@ApiTags('logistics')
@ApiBearerAuth()
@Controller('api/v1/logistics')
export class LogisticsController {
  constructor(
    private readonly scanner: StaleScanService,
    private readonly settings: SettingsService,
  ) {}

  @Post('scan')
  @HttpCode(200)
  @Roles(Role.Agent, Role.Supervisor, Role.Admin)
  @ApiOperation({ summary: 'Run the stale-parcel scan now [002 物流异常]; returns the exceptions it opened. An asOf in the future previews: what would open then, nothing written (preview: true)' })
  @ApiOkResponse({ type: ScanResponseDto })
  async scan(@CurrentCaller() caller: Caller, @Body() dto: ScanDto): Promise<ScanResponseDto> {
    const r = await this.scanner.scan({ merchantId: caller.merchantId, asOf: dto.asOf ? new Date(dto.asOf) : undefined });
    return { asOf: r.asOf, preview: r.preview, count: r.opened.length, opened: r.opened.map(toLogisticsExceptionResponse) };
  }

  // The older routes of the registry's section `logistics` (GET/PATCH /api/v1/settings/logistics).
  @Get('settings')
  @ApiOperation({ summary: 'Stale thresholds (hours without a tracking event); the same as GET /api/v1/settings/logistics' })
  @ApiOkResponse({ type: LogisticsSettingsResponseDto })
  getSettings(@CurrentCaller() caller: Caller): Promise<LogisticsSettingsResponseDto> {
    return this.settings.get(caller.merchantId, logisticsSettings);
  }

  @Patch('settings')
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Change the stale thresholds (admin); omitted fields keep their value; the same as PATCH /api/v1/settings/logistics' })
  @ApiOkResponse({ type: LogisticsSettingsResponseDto })
  updateSettings(@CurrentCaller() caller: Caller, @Body() dto: LogisticsSettingsDto): Promise<LogisticsSettingsResponseDto> {
    return this.settings.update(caller, logisticsSettings, dto);
  }
}
