import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../kernel/auth/decorators.js';
import type { Caller } from '../kernel/auth/roles.js';
import { AssignCaseDto, NoteCaseDto } from '../kernel/cases/case-action.dto.js';
import type { Page } from '../kernel/pagination/pagination.js';
import {
  CloseDto, CreateLogisticsExceptionDto, DismissDto, EscalateDto, ListLogisticsExceptionsQueryDto, LogisticsExceptionDetailResponseDto,
  LogisticsExceptionPageDto, LogisticsExceptionResponseDto, RecallDto, ReshipDto, ResolveDto, UrgeDto,
} from './dto/logistics-exception.dto.js';
import { LogisticsExceptionsService } from './logistics-exceptions.service.js';

/** Roles per action are the machine's (`GET /api/v1/meta/state-machines`); the engine answers 403. */
@ApiTags('logistics')
@ApiBearerAuth()
@Controller('api/v1/logistics-exceptions')
export class LogisticsExceptionsController {
  constructor(private readonly cases: LogisticsExceptionsService) {}

  @Post()
  @ApiOperation({ summary: 'Report a logistics exception for a shipment (no_outlet starts at reship_required, due 16:00)' })
  @ApiCreatedResponse({ type: LogisticsExceptionDetailResponseDto })
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateLogisticsExceptionDto): Promise<LogisticsExceptionDetailResponseDto> {
    return this.cases.create(caller, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Logistics exceptions, newest first; filter by shop, status, assignee, dates, overdue, shipment, order, kind' })
  @ApiOkResponse({ type: LogisticsExceptionPageDto })
  list(@CurrentCaller() caller: Caller, @Query() q: ListLogisticsExceptionsQueryDto): Promise<Page<LogisticsExceptionResponseDto>> {
    return this.cases.list(caller, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One logistics exception with its shipment, timeline and allowedActions' })
  @ApiOkResponse({ type: LogisticsExceptionDetailResponseDto })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<LogisticsExceptionDetailResponseDto> {
    return this.cases.get(caller, id);
  }

  @Post(':id/urge')
  @HttpCode(200)
  @ApiOperation({ summary: '[002] record the call to the carrier outlet and the back-office message; escalates after 24 h without an answer' })
  @ApiOkResponse({ type: LogisticsExceptionDetailResponseDto })
  urge(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: UrgeDto): Promise<LogisticsExceptionDetailResponseDto> {
    return this.cases.urge(caller, id, dto);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'The parcel moves again or the carrier answered (also automatic on a new tracking event)' })
  @ApiOkResponse({ type: LogisticsExceptionDetailResponseDto })
  resolve(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: ResolveDto): Promise<LogisticsExceptionDetailResponseDto> {
    return this.cases.resolve(caller, id, dto);
  }

  @Post(':id/escalate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Escalate to a reship by hand' })
  @ApiOkResponse({ type: LogisticsExceptionDetailResponseDto })
  escalate(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: EscalateDto): Promise<LogisticsExceptionDetailResponseDto> {
    return this.cases.escalate(caller, id, dto);
  }

  @Post(':id/reship')
  @HttpCode(200)
  @ApiOperation({ summary: '[002 补发] create the reship order linked to the original; its cost adds to the case' })
  @ApiOkResponse({ type: LogisticsExceptionDetailResponseDto })
  reship(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: ReshipDto): Promise<LogisticsExceptionDetailResponseDto> {
    return this.cases.reship(caller, id, dto);
  }

  @Post(':id/recall')
  @HttpCode(200)
  @ApiOperation({ summary: '[002 退回追货] ask the carrier to return the original parcel' })
  @ApiOkResponse({ type: LogisticsExceptionDetailResponseDto })
  recall(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: RecallDto): Promise<LogisticsExceptionDetailResponseDto> {
    return this.cases.recall(caller, id, dto);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close after a reship with what became of the original and the amount recovered' })
  @ApiOkResponse({ type: LogisticsExceptionDetailResponseDto })
  close(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: CloseDto): Promise<LogisticsExceptionDetailResponseDto> {
    return this.cases.close(caller, id, dto);
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  @ApiOperation({ summary: 'Not a real problem (false alarm)' })
  @ApiOkResponse({ type: LogisticsExceptionDetailResponseDto })
  dismiss(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: DismissDto): Promise<LogisticsExceptionDetailResponseDto> {
    return this.cases.dismiss(caller, id, dto);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign to a staff member of the merchant (null unassigns; 422 for anyone else); the status stays' })
  @ApiOkResponse({ type: LogisticsExceptionDetailResponseDto })
  assign(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: AssignCaseDto): Promise<LogisticsExceptionDetailResponseDto> {
    return this.cases.assign(caller, id, dto);
  }

  @Post(':id/note')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add a note to the timeline; the status stays' })
  @ApiOkResponse({ type: LogisticsExceptionDetailResponseDto })
  note(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: NoteCaseDto): Promise<LogisticsExceptionDetailResponseDto> {
    return this.cases.note(caller, id, dto);
  }
}
