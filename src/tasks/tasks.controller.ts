import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../kernel/auth/decorators.js';
import type { Caller } from '../kernel/auth/roles.js';
import { AssignCaseDto } from '../kernel/cases/case-action.dto.js';
import type { Page } from '../kernel/pagination/pagination.js';
import { DismissTaskDto, DoneTaskDto, ListTasksQueryDto, TaskDetailDto, TaskPageDto, TaskResponseDto } from './dto.js';
import { TasksService } from './tasks.service.js';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('api/v1/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ summary: 'Worklist tasks (e.g. unpaid orders to follow up), newest first; filters status, assigneeId, kind, overdue, shopId, subjectId' })
  @ApiOkResponse({ type: TaskPageDto })
  list(@CurrentCaller() caller: Caller, @Query() q: ListTasksQueryDto): Promise<Page<TaskResponseDto>> {
    return this.tasks.list(caller, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One task with the actions the caller may fire now' })
  @ApiOkResponse({ type: TaskDetailDto })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<TaskDetailDto> {
    return this.tasks.get(caller, id);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign to a staff member of the merchant (null unassigns; 422 for anyone else)' })
  @ApiOkResponse({ type: TaskDetailDto })
  assign(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: AssignCaseDto): Promise<TaskDetailDto> {
    return this.tasks.assign(caller, id, dto);
  }

  @Post(':id/done')
  @HttpCode(200)
  @ApiOperation({ summary: 'The work is done (optional note); 409 when the task is not open' })
  @ApiOkResponse({ type: TaskDetailDto })
  done(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: DoneTaskDto): Promise<TaskDetailDto> {
    return this.tasks.done(caller, id, dto);
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dismiss with a reason; 409 when the task is not open' })
  @ApiOkResponse({ type: TaskDetailDto })
  dismiss(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: DismissTaskDto): Promise<TaskDetailDto> {
    return this.tasks.dismiss(caller, id, dto);
  }
}
