import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { AGENT_PLUS, type Caller, FINANCE_PLUS } from '../kernel/auth/roles.js';
import { IdParamHint } from '../kernel/http/id-params.js';
import { Page } from '../kernel/pagination/pagination.js';
import {
  AuditOrderDto, CancelOrderDto, ConfirmBatchDto, ConfirmOrderDto, HoldOrderDto, LogConfirmationCallDto, OrderActionDto, ReleaseOrderDto, ShipOrderDto,
} from './dto/order-actions.dto.js';
import { ByPlatformIdQueryDto, ListOrdersQueryDto } from './dto/order-query.dto.js';
import { ConfirmationCallResponseDto, ConfirmBatchResponseDto, OrderDetailResponseDto, OrderPageDto, OrderResponseDto } from './dto/order-response.dto.js';
import { platformRefHint } from './order-ref.js';
import { OrdersService } from './orders.service.js';
import { ApiErrors } from '../kernel/openapi/api-errors.decorator.js';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('api/v1/orders')
@IdParamHint(platformRefHint)
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  @ApiOperation({ summary: 'Orders, newest first; filter by shop, status, placement date, overdue; q searches order no., phone, tracking no.' })
  @ApiOkResponse({ type: OrderPageDto })
  list(@CurrentCaller() caller: Caller, @Query() q: ListOrdersQueryDto): Promise<Page<OrderResponseDto>> {
    return this.orders.list(caller, q);
  }

  @Post('confirm-batch')
  @HttpCode(200)
  @Roles(...FINANCE_PLUS)
  @ApiOperation({ summary: '财务确认 a batch of audited orders (finance) [002]; each order succeeds or fails on its own' })
  @ApiOkResponse({ type: ConfirmBatchResponseDto })
  confirmBatch(@CurrentCaller() caller: Caller, @Body() dto: ConfirmBatchDto): Promise<ConfirmBatchResponseDto> {
    return this.orders.confirmBatch(caller, dto);
  }

  @Get('by-platform-id/:platformOrderId')
  @ApiOperation({ summary: 'One order by its platform order id (exact text), else by its order number (with or without #); 409 listing the shops when several have it and no shopId is given' })
  @ApiOkResponse({ type: OrderDetailResponseDto })
  @ApiErrors({ 409: 'Orders of several shops have this id or number: add shopId (details lists the shops)' })
  byPlatformId(@CurrentCaller() caller: Caller, @Param('platformOrderId') ref: string, @Query() q: ByPlatformIdQueryDto): Promise<OrderDetailResponseDto> {
    return this.orders.getByPlatformId(caller, ref, q.shopId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One order with lines, shipments, related cases, confirmation calls, platform refunds, timeline and allowedActions' })
  @ApiOkResponse({ type: OrderDetailResponseDto })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<OrderDetailResponseDto> {
    return this.orders.get(caller, id);
  }

  @Post(':id/confirmation-calls')
  @Roles(...AGENT_PLUS)
  @ApiOperation({ summary: 'Log a call confirming a (cash-on-delivery) order with the customer [004]' })
  @ApiCreatedResponse({ type: ConfirmationCallResponseDto })
  logCall(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: LogConfirmationCallDto): Promise<ConfirmationCallResponseDto> {
    return this.orders.logConfirmationCall(caller, id, dto);
  }

  @Post(':id/audit')
  @HttpCode(200)
  @ApiOperation({ summary: '审单 paid → audited (agent+): lines, quantities, amounts, carrier coverage, COD confirmation call [002][004]' })
  @ApiOkResponse({ type: OrderDetailResponseDto })
  audit(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: AuditOrderDto): Promise<OrderDetailResponseDto> {
    return this.orders.audit(caller, id, dto);
  }

  @Post(':id/hold')
  @HttpCode(200)
  @ApiOperation({ summary: 'paid → on_hold with a reason (agent+)' })
  @ApiOkResponse({ type: OrderDetailResponseDto })
  hold(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: HoldOrderDto): Promise<OrderDetailResponseDto> {
    return this.orders.hold(caller, id, dto);
  }

  @Post(':id/release')
  @HttpCode(200)
  @ApiOperation({ summary: 'on_hold → paid (agent+)' })
  @ApiOkResponse({ type: OrderDetailResponseDto })
  release(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: ReleaseOrderDto): Promise<OrderDetailResponseDto> {
    return this.orders.release(caller, id, dto);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: '财务确认 audited → confirmed (finance) [002]' })
  @ApiOkResponse({ type: OrderDetailResponseDto })
  confirm(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: ConfirmOrderDto): Promise<OrderDetailResponseDto> {
    return this.orders.confirm(caller, id, dto);
  }

  @Post(':id/ship')
  @HttpCode(200)
  @ApiOperation({ summary: 'confirmed → shipped with carrier and tracking number (warehouse+); creates the shipment' })
  @ApiOkResponse({ type: OrderDetailResponseDto })
  ship(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: ShipOrderDto): Promise<OrderDetailResponseDto> {
    return this.orders.ship(caller, id, dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel before shipping (supervisor+)' })
  @ApiOkResponse({ type: OrderDetailResponseDto })
  cancel(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: CancelOrderDto): Promise<OrderDetailResponseDto> {
    return this.orders.cancel(caller, id, dto);
  }

  @Post(':id/:action')
  @HttpCode(200)
  @ApiOperation({ summary: 'Any other action of the order machine (platform and timer actions answer 403 to staff; unknown actions 404)' })
  @ApiOkResponse({ type: OrderDetailResponseDto })
  other(@CurrentCaller() caller: Caller, @Param('id') id: string, @Param('action') action: string, @Body() dto: OrderActionDto): Promise<OrderDetailResponseDto> {
    return this.orders.other(caller, id, action, dto);
  }
}
