import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../kernel/auth/decorators.js';
import type { Caller } from '../kernel/auth/roles.js';
import { AssignCaseDto } from '../kernel/cases/case-action.dto.js';
import type { Page } from '../kernel/pagination/pagination.js';
import { DismissFollowUpDto, FollowUpDetailDto, FollowUpPageDto, FollowUpResponseDto, ListFollowUpsQueryDto, RecordFollowUpDto, RescheduleFollowUpDto } from './dto/follow-up.dto.js';
import { FollowUpsService } from './follow-ups.service.js';

@ApiTags('follow-ups')
@ApiBearerAuth()
@Controller('api/v1/follow-ups')
export class FollowUpsController {
  constructor(private readonly followUps: FollowUpsService) {}

  @Get()
  @ApiOperation({ summary: 'Follow-up calls (回访), newest first: one per resolved case of any module' })
  @ApiOkResponse({ type: FollowUpPageDto })
  list(@CurrentCaller() caller: Caller, @Query() q: ListFollowUpsQueryDto): Promise<Page<FollowUpResponseDto>> {
    return this.followUps.list(caller, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One follow-up call with the actions the caller may fire now' })
  @ApiOkResponse({ type: FollowUpDetailDto })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<FollowUpDetailDto> {
    return this.followUps.get(caller, id);
  }

  @Post(':id/record')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the call: satisfied, neutral or unsatisfied (opens a complaint linked to the case)' })
  @ApiOkResponse({ type: FollowUpDetailDto })
  record(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: RecordFollowUpDto): Promise<FollowUpDetailDto> {
    return this.followUps.act(caller, id, 'record', dto);
  }

  @Post(':id/reschedule')
  @HttpCode(200)
  @ApiOperation({ summary: 'Call at the time agreed with the customer (moved out of quiet hours)' })
  @ApiOkResponse({ type: FollowUpDetailDto })
  reschedule(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: RescheduleFollowUpDto): Promise<FollowUpDetailDto> {
    return this.followUps.act(caller, id, 'reschedule', dto);
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  @ApiOperation({ summary: 'No call, with the reason' })
  @ApiOkResponse({ type: FollowUpDetailDto })
  dismiss(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: DismissFollowUpDto): Promise<FollowUpDetailDto> {
    return this.followUps.act(caller, id, 'dismiss', dto);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give the call to a staff member of the merchant (null unassigns; 422 for anyone else)' })
  @ApiOkResponse({ type: FollowUpDetailDto })
  assign(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: AssignCaseDto): Promise<FollowUpDetailDto> {
    return this.followUps.assign(caller, id, dto);
  }
}
