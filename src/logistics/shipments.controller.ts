import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { type Caller, Role } from '../kernel/auth/roles.js';
import type { Page } from '../kernel/pagination/pagination.js';
import { CreateShipmentDto, ListShipmentsQueryDto, ShipmentDetailResponseDto, ShipmentPageDto, ShipmentResponseDto } from './dto/shipment.dto.js';
import { ShipmentsService } from './shipments.service.js';

@ApiTags('logistics')
@ApiBearerAuth()
@Controller('api/v1/shipments')
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentsService) {}

  @Post()
  @Roles(Role.Agent, Role.Supervisor, Role.Admin, Role.Warehouse)
  @ApiOperation({ summary: 'Register a parcel sent outside the order flow, for tracking' })
  @ApiCreatedResponse({ type: ShipmentDetailResponseDto })
  register(@CurrentCaller() caller: Caller, @Body() dto: CreateShipmentDto): Promise<ShipmentDetailResponseDto> {
    return this.shipments.register(caller, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Shipments, newest first; filter by shop, order, status, tracking number, carrier, dates' })
  @ApiOkResponse({ type: ShipmentPageDto })
  list(@CurrentCaller() caller: Caller, @Query() q: ListShipmentsQueryDto): Promise<Page<ShipmentResponseDto>> {
    return this.shipments.list(caller, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A shipment with its tracking events (newest first)' })
  @ApiOkResponse({ type: ShipmentDetailResponseDto })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<ShipmentDetailResponseDto> {
    return this.shipments.get(caller, id);
  }
}
