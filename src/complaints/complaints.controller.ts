import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { type Caller, Role } from '../kernel/auth/roles.js';
import { AssignCaseDto, NoteCaseDto } from '../kernel/cases/case-action.dto.js';
import type { Page } from '../kernel/pagination/pagination.js';
import { ComplaintsService } from './complaints.service.js';
import {
  ApprovePlanDto, AssessComplaintDto, AssignDepartmentDto, CloseComplaintDto, ComplaintFollowUpDto, ConfirmComplaintDto, ImplementPlanDto, MarkSeriousDto,
  ProposePlanDto, RejectPlanDto,
} from './dto/complaint-actions.dto.js';
import { ComplaintDetailDto, ComplaintPageDto, ComplaintResponseDto, ListComplaintsQueryDto } from './dto/complaint-response.dto.js';
import { CreateComplaintDto } from './dto/create-complaint.dto.js';

@ApiTags('complaints')
@ApiBearerAuth()
@Controller('api/v1/complaints')
export class ComplaintsController {
  constructor(private readonly complaints: ComplaintsService) {}

  @Post()
  @Roles(Role.Agent, Role.Supervisor, Role.Admin)
  @ApiOperation({ summary: 'Register a complaint (投诉受理): first response due 12 business hours after reportedAt; serious ones raise complaint.serious' })
  @ApiCreatedResponse({ type: ComplaintDetailDto })
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateComplaintDto): Promise<ComplaintDetailDto> {
    return this.complaints.create(caller, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Complaints, newest first; from/to filter on reportedAt' })
  @ApiOkResponse({ type: ComplaintPageDto })
  list(@CurrentCaller() caller: Caller, @Query() q: ListComplaintsQueryDto): Promise<Page<ComplaintResponseDto>> {
    return this.complaints.list(caller, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One complaint: department, plan, follow-up, timeline and allowed actions' })
  @ApiOkResponse({ type: ComplaintDetailDto })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<ComplaintDetailDto> {
    return this.complaints.get(caller, id);
  }

  @Post(':id/assess')
  @HttpCode(200)
  @ApiOperation({ summary: '投诉判断 (the first response): founded → investigating; unfounded → explained, with the explanation' })
  @ApiOkResponse({ type: ComplaintDetailDto })
  assess(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: AssessComplaintDto): Promise<ComplaintDetailDto> {
    return this.complaints.act(caller, id, 'assess', dto);
  }

  @Post(':id/assign-department')
  @HttpCode(200)
  @ApiOperation({ summary: 'The responsible department and person (责任部门, 责任人); the status stays' })
  @ApiOkResponse({ type: ComplaintDetailDto })
  assignDepartment(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: AssignDepartmentDto): Promise<ComplaintDetailDto> {
    return this.complaints.act(caller, id, 'assign-department', dto);
  }

  @Post(':id/propose')
  @HttpCode(200)
  @ApiOperation({ summary: 'Propose the remedy plan and its cost (after assign-department)' })
  @ApiOkResponse({ type: ComplaintDetailDto })
  propose(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: ProposePlanDto): Promise<ComplaintDetailDto> {
    return this.complaints.act(caller, id, 'propose', dto);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve the plan (supervisor, admin)' })
  @ApiOkResponse({ type: ComplaintDetailDto })
  approve(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: ApprovePlanDto): Promise<ComplaintDetailDto> {
    return this.complaints.act(caller, id, 'approve', dto);
  }

  @Post(':id/reject-plan')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send the plan back to the investigation with the reason (supervisor, admin)' })
  @ApiOkResponse({ type: ComplaintDetailDto })
  rejectPlan(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: RejectPlanDto): Promise<ComplaintDetailDto> {
    return this.complaints.act(caller, id, 'reject-plan', dto);
  }

  @Post(':id/implement')
  @HttpCode(200)
  @ApiOperation({ summary: 'The approved plan was carried out; its actual cost adds to the case cost' })
  @ApiOkResponse({ type: ComplaintDetailDto })
  implement(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: ImplementPlanDto): Promise<ComplaintDetailDto> {
    return this.complaints.act(caller, id, 'implement', dto);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'The customer accepted (signed or confirmed): the follow-up call is due within 3 days, outside quiet hours' })
  @ApiOkResponse({ type: ComplaintDetailDto })
  confirm(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: ConfirmComplaintDto): Promise<ComplaintDetailDto> {
    return this.complaints.act(caller, id, 'confirm', dto);
  }

  @Post(':id/follow-up')
  @HttpCode(200)
  @ApiOperation({ summary: 'The follow-up call (回访): satisfied/neutral close it, unsatisfied reopens the investigation; its follow-up task is recorded too' })
  @ApiOkResponse({ type: ComplaintDetailDto })
  followUp(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: ComplaintFollowUpDto): Promise<ComplaintDetailDto> {
    return this.complaints.act(caller, id, 'follow-up', dto);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close an explained (unfounded) complaint: the customer accepted the explanation' })
  @ApiOkResponse({ type: ComplaintDetailDto })
  close(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: CloseComplaintDto): Promise<ComplaintDetailDto> {
    return this.complaints.act(caller, id, 'close', dto);
  }

  @Post(':id/mark-serious')
  @HttpCode(200)
  @ApiOperation({ summary: 'Raise to serious: supervisors are told at once (complaint.serious); the status stays' })
  @ApiOkResponse({ type: ComplaintDetailDto })
  markSerious(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: MarkSeriousDto): Promise<ComplaintDetailDto> {
    return this.complaints.act(caller, id, 'mark-serious', dto);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign to a staff member of the merchant (null unassigns; 422 for anyone else); the status stays' })
  @ApiOkResponse({ type: ComplaintDetailDto })
  assign(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: AssignCaseDto): Promise<ComplaintDetailDto> {
    return this.complaints.assign(caller, id, dto);
  }

  @Post(':id/note')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add a note to the timeline; the status stays' })
  @ApiOkResponse({ type: ComplaintDetailDto })
  note(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: NoteCaseDto): Promise<ComplaintDetailDto> {
    return this.complaints.note(caller, id, dto);
  }
}
