import { Body, Controller, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { type Caller, Role } from '../kernel/auth/roles.js';
import { SettingsService } from '../kernel/settings/settings.service.js';
import { carrierCoverageSettings, CarrierCoverageResponseDto, PutCarrierCoverageDto } from './carrier-coverage.settings.js';

/** The older PUT of the coverage list; GET and PATCH are the registry's (/api/v1/settings/carrier-coverage). */
@ApiTags('settings')
@ApiBearerAuth()
@Controller('api/v1/settings')
export class OrderSettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Put('carrier-coverage')
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Replace the carrier coverage list (admin); the same as PATCH /api/v1/settings/carrier-coverage' })
  @ApiOkResponse({ type: CarrierCoverageResponseDto })
  putCoverage(@CurrentCaller() caller: Caller, @Body() dto: PutCarrierCoverageDto): Promise<CarrierCoverageResponseDto> {
    return this.settings.update(caller, carrierCoverageSettings, { carriers: dto.carriers });
  }
}
