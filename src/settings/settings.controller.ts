import { Body, Controller, Get, Patch, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { type Caller, Role } from '../kernel/auth/roles.js';
import { CarrierCoverageResponseDto, OrderSettingsResponseDto, PutCarrierCoverageDto, PutOrderSettingsDto } from './dto.js';
import { SettingsService } from './settings.service.js';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('api/v1/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get('carrier-coverage')
  @ApiOperation({ summary: 'Provinces each carrier serves (checked by the order audit)' })
  @ApiOkResponse({ type: CarrierCoverageResponseDto })
  getCoverage(@CurrentCaller() caller: Caller): Promise<CarrierCoverageResponseDto> {
    return this.settings.getCarrierCoverage(caller);
  }

  @Put('carrier-coverage')
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Replace the carrier coverage list (admin)' })
  @ApiOkResponse({ type: CarrierCoverageResponseDto })
  putCoverage(@CurrentCaller() caller: Caller, @Body() dto: PutCarrierCoverageDto): Promise<CarrierCoverageResponseDto> {
    return this.settings.putCarrierCoverage(caller, dto);
  }

  @Get('orders')
  @ApiOperation({ summary: 'Order procedure settings' })
  @ApiOkResponse({ type: OrderSettingsResponseDto })
  getOrders(@CurrentCaller() caller: Caller): Promise<OrderSettingsResponseDto> {
    return this.settings.getOrderSettings(caller);
  }

  @Patch('orders')
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Change order procedure settings (admin); omitted fields keep their value' })
  @ApiOkResponse({ type: OrderSettingsResponseDto })
  putOrders(@CurrentCaller() caller: Caller, @Body() dto: PutOrderSettingsDto): Promise<OrderSettingsResponseDto> {
    return this.settings.putOrderSettings(caller, dto);
  }
}
