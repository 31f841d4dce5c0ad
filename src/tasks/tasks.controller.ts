import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../kernel/auth/decorators.js';
import type { Caller } from '../kernel/auth/roles.js';
import { Page } from '../kernel/pagination/pagination.js';
import { ListTasksQueryDto, TaskPageDto, TaskResponseDto } from './dto.js';
import { TasksService } from './tasks.service.js';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('api/v1/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ summary: 'Tasks timers put on the worklist (e.g. unpaid orders to follow up), newest first' })
  @ApiOkResponse({ type: TaskPageDto })
  list(@CurrentCaller() caller: Caller, @Query() q: ListTasksQueryDto): Promise<Page<TaskResponseDto>> {
    return this.tasks.list(caller, q);
  }
}
