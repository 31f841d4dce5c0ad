import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { type Caller, Role } from '../kernel/auth/roles.js';
import { Page } from '../kernel/pagination/pagination.js';
import { ListDeliveriesQueryDto, WebhookDeliveryDetailDto, WebhookDeliveryPageDto, WebhookDeliveryResponseDto } from './dto.js';
import { WebhookDeliveriesService } from './webhook-deliveries.service.js';

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles(Role.Admin)
@Controller('api/v1/webhook-deliveries')
export class WebhookDeliveriesController {
  constructor(private readonly deliveries: WebhookDeliveriesService) {}

  @Get()
  @ApiOperation({ summary: 'Inbound webhook deliveries, newest first (admin)' })
  @ApiOkResponse({ type: WebhookDeliveryPageDto })
  list(@CurrentCaller() caller: Caller, @Query() q: ListDeliveriesQueryDto): Promise<Page<WebhookDeliveryResponseDto>> {
    return this.deliveries.list(caller, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One delivery with its headers and raw body (admin)' })
  @ApiOkResponse({ type: WebhookDeliveryDetailDto })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<WebhookDeliveryDetailDto> {
    return this.deliveries.get(caller, id);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Process a stored delivery again (admin); an older order version still has no effect' })
  @ApiOkResponse({ type: WebhookDeliveryDetailDto })
  replay(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<WebhookDeliveryDetailDto> {
    return this.deliveries.replay(caller, id);
  }
}
