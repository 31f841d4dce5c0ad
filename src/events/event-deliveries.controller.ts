import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { type Caller, Role } from '../kernel/auth/roles.js';
import type { Page } from '../kernel/pagination/pagination.js';
import {
  EventDeliveryDetailDto, EventDeliveryPageDto, EventDeliveryResponseDto, ListEventDeliveriesQueryDto, ResendEventDeliveryResponseDto,
} from './dto/event-delivery.dto.js';
import { EventDeliveryService } from './event-deliveries.service.js';

@ApiTags('webhook-endpoints')
@ApiBearerAuth()
@Roles(Role.Admin)
@Controller('api/v1/webhook-endpoints/:id/deliveries')
export class EventDeliveriesController {
  constructor(private readonly deliveries: EventDeliveryService) {}

  @Get()
  @ApiOperation({ summary: 'Delivery attempts of an endpoint, newest first: status or failure reason and duration, never the answer body (admin)' })
  @ApiOkResponse({ type: EventDeliveryPageDto })
  list(@CurrentCaller() caller: Caller, @Param('id') id: string, @Query() q: ListEventDeliveriesQueryDto): Promise<Page<EventDeliveryResponseDto>> {
    return this.deliveries.list(caller, id, q);
  }

  @Get(':deliveryId')
  @ApiOperation({ summary: 'One delivery attempt with the event exactly as it is sent (admin)' })
  @ApiOkResponse({ type: EventDeliveryDetailDto })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string, @Param('deliveryId') deliveryId: string): Promise<EventDeliveryDetailDto> {
    return this.deliveries.get(caller, id, deliveryId);
  }

  @Post(':deliveryId/resend')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue the delivery\'s event to this endpoint again, with the same event id (admin); 409 while it is still queued, 422 while the endpoint is inactive' })
  @ApiAcceptedResponse({ type: ResendEventDeliveryResponseDto })
  resend(@CurrentCaller() caller: Caller, @Param('id') id: string, @Param('deliveryId') deliveryId: string): Promise<ResendEventDeliveryResponseDto> {
    return this.deliveries.resend(caller, id, deliveryId);
  }
}
