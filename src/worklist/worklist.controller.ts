import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { ALL_ROLES, type Caller } from '../kernel/auth/roles.js';
import { ApiErrors } from '../kernel/openapi/api-errors.decorator.js';
import { WorklistDto, WorklistQueryDto } from './dto/worklist.dto.js';
import { WorklistService } from './worklist.service.js';

@ApiTags('worklist')
@ApiBearerAuth()
@Controller('api/v1/worklist')
export class WorklistController {
  constructor(private readonly worklist: WorklistService) {}

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: '售后日工作流程: the day\'s work in the order of the seed\'s routine, every section with its count and oldest items first [002]' })
  @ApiOkResponse({ type: WorklistDto })
  @ApiErrors({ 404: 'No shop with this shopId, or no staff member with this assigneeId, in the merchant' })
  get(@CurrentCaller() caller: Caller, @Query() q: WorklistQueryDto): Promise<WorklistDto> {
    return this.worklist.build(caller, q);
  }
}
