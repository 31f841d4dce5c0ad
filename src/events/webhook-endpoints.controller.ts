import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { type Caller, Role } from '../kernel/auth/roles.js';
import type { Page } from '../kernel/pagination/pagination.js';
import {
  CreatedWebhookEndpointDto, CreateWebhookEndpointDto, ListWebhookEndpointsQueryDto, UpdateWebhookEndpointDto, WebhookEndpointPageDto,
  WebhookEndpointResponseDto,
} from './dto/webhook-endpoint.dto.js';
import { EventsService } from './events.service.js';

@ApiTags('webhook-endpoints')
@ApiBearerAuth()
@Roles(Role.Admin)
@Controller('api/v1/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @ApiOperation({ summary: 'Register an endpoint for signed outbound events (admin); the secret is shown once' })
  @ApiCreatedResponse({ type: CreatedWebhookEndpointDto })
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpointDto> {
    return this.events.create(caller, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Registered outbound event endpoints and their recent delivery failures (admin)' })
  @ApiOkResponse({ type: WebhookEndpointPageDto })
  list(@CurrentCaller() caller: Caller, @Query() q: ListWebhookEndpointsQueryDto): Promise<Page<WebhookEndpointResponseDto>> {
    return this.events.list(caller, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One outbound event endpoint (admin)' })
  @ApiOkResponse({ type: WebhookEndpointResponseDto })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<WebhookEndpointResponseDto> {
    return this.events.get(caller, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the URL or subscriptions, or deactivate (admin)' })
  @ApiOkResponse({ type: WebhookEndpointResponseDto })
  update(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: UpdateWebhookEndpointDto): Promise<WebhookEndpointResponseDto> {
    return this.events.update(caller, id, dto);
  }
}
