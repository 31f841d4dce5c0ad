import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { AGENT_PLUS, type Caller } from '../kernel/auth/roles.js';
import { ApiErrors } from '../kernel/openapi/api-errors.decorator.js';
import { AttributeOrderDto, OrderAttributionDto } from './dto/attribution.dto.js';
import { AttributionService } from './attribution.service.js';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('api/v1/orders')
export class AttributionController {
  constructor(private readonly attribution: AttributionService) {}

  @Post(':id/attribute')
  @HttpCode(200)
  @Roles(...AGENT_PLUS)
  @ApiOperation({ summary: '[002 订单归属] Record an agent\'s contact with the order\'s customer; the order is attributed by the seed\'s rules (agents: their own contacts only)' })
  @ApiOkResponse({ type: OrderAttributionDto })
  @ApiErrors({ 404: 'No such order', 422: 'Not an agent of the merchant; a contact in the future; after payment without a changed order' })
  attribute(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: AttributeOrderDto): Promise<OrderAttributionDto> {
    return this.attribution.attribute(caller, id, dto);
  }

  @Get(':id/attribution')
  @Roles(...AGENT_PLUS)
  @ApiOperation({ summary: '[002 订单归属] Who the order is attributed to, the contacts that decided it, and the agent each case about it recorded' })
  @ApiOkResponse({ type: OrderAttributionDto })
  @ApiErrors({ 404: 'No such order' })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<OrderAttributionDto> {
    return this.attribution.get(caller, id);
  }
}
