import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../../kernel/auth/decorators.js';
import { type Caller, Role } from '../../kernel/auth/roles.js';
import type { Page } from '../../kernel/pagination/pagination.js';
import { CarrierPushPageDto, type CarrierPushResponseDto, ListCarrierPushesQueryDto } from './carrier-push.dto.js';
import { CarrierPushesService } from './carrier-pushes.service.js';
import { CarrierListDto, CarrierResponseDto, ResolveCarrierQueryDto, ResolvedCarrierDto, UpdateCarrierDto } from './carrier.dto.js';
import { CarriersService } from './carriers.service.js';
import { ApiErrors } from '../../kernel/openapi/api-errors.decorator.js';

@ApiTags('logistics')
@ApiBearerAuth()
@Controller('api/v1/carriers')
export class CarriersController {
  constructor(private readonly carriers: CarriersService) {}

  @Get()
  @ApiOperation({ summary: 'The carrier registry: shipped carriers (canonical Kuaidi100 codes, names, aliases) with this merchant\'s edits' })
  @ApiOkResponse({ type: CarrierListDto })
  list(@CurrentCaller() caller: Caller): Promise<CarrierListDto> {
    return this.carriers.list(caller);
  }

  @Get('resolve')
  @ApiOperation({ summary: 'The canonical code any carrier name resolves to (what a shipment or push with this name gets)' })
  @ApiOkResponse({ type: ResolvedCarrierDto })
  resolve(@CurrentCaller() caller: Caller, @Query() q: ResolveCarrierQueryDto): Promise<ResolvedCarrierDto> {
    return this.carriers.resolve(caller, q.name);
  }

  @Put(':code')
  @Roles(Role.Admin, Role.Supervisor)
  @ApiOperation({ summary: 'Set this merchant\'s display name and aliases of a carrier, or add a carrier (admin, supervisor); omitted fields keep their value' })
  @ApiOkResponse({ type: CarrierResponseDto })
  @ApiErrors({ 422: 'The code or an alias already names another carrier' })
  update(@CurrentCaller() caller: Caller, @Param('code') code: string, @Body() dto: UpdateCarrierDto): Promise<CarrierResponseDto> {
    return this.carriers.update(caller, code, dto);
  }
}

@ApiTags('logistics')
@ApiBearerAuth()
@Controller('api/v1/carrier-pushes')
export class CarrierPushesController {
  constructor(private readonly pushes: CarrierPushesService) {}

  @Get()
  @ApiOperation({ summary: 'Carrier pushes as received; matched=false lists those that reached no parcel yet (applied when the parcel is registered)' })
  @ApiOkResponse({ type: CarrierPushPageDto })
  list(@CurrentCaller() caller: Caller, @Query() q: ListCarrierPushesQueryDto): Promise<Page<CarrierPushResponseDto>> {
    return this.pushes.list(caller, q);
  }
}
