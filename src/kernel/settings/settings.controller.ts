import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../auth/decorators.js';
import type { Caller } from '../auth/roles.js';
import { SettingsService } from './settings.service.js';

export class SettingsSectionDto {
  @ApiProperty({ example: 'orders' }) section: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [String], example: ['admin'] }) writableBy: string[];
  @ApiProperty({ example: '/api/v1/settings/orders', description: 'Where the section is changed' }) route: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) value: Record<string, unknown>;
}

export class SettingsListDto {
  @ApiProperty({ type: [SettingsSectionDto] }) sections: SettingsSectionDto[];
}

const SECTION_PARAM = { name: 'section', description: 'A section name as listed by GET /api/v1/settings (orders, returns, logistics, carrier-coverage, ...)' };

/** The merchant-settings registry over HTTP: list, read and patch any section. */
@ApiTags('settings')
@ApiBearerAuth()
@Controller('api/v1/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @ApiOperation({ summary: 'Every settings section of the merchant with its current value (defaults where nothing is set)' })
  @ApiOkResponse({ type: SettingsListDto })
  async list(@CurrentCaller() caller: Caller): Promise<SettingsListDto> {
    return { sections: await this.settings.all(caller) };
  }

  @Get(':section')
  @ApiParam(SECTION_PARAM)
  @ApiOperation({ summary: 'One settings section' })
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: true } })
  get(@CurrentCaller() caller: Caller, @Param('section') section: string): Promise<Record<string, unknown>> {
    return this.settings.one(caller, section);
  }

  @Patch(':section')
  @ApiParam(SECTION_PARAM)
  @ApiOperation({ summary: 'Change a settings section (admin unless the section says otherwise); omitted fields keep their value, unknown fields are refused' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: true } })
  patch(@CurrentCaller() caller: Caller, @Param('section') section: string, @Body() body: unknown): Promise<Record<string, unknown>> {
    return this.settings.patch(caller, section, body);
  }
}
