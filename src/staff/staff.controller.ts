import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../kernel/auth/decorators.js';
import { type Caller, Role } from '../kernel/auth/roles.js';
import { Page } from '../kernel/pagination/pagination.js';
import { CreateStaffDto, ListStaffQueryDto, StaffPageDto, StaffResponseDto, UpdateStaffDto } from './dto.js';
import { StaffService } from './staff.service.js';
import { ApiErrors } from '../kernel/openapi/api-errors.decorator.js';

@ApiTags('staff')
@ApiBearerAuth()
@Roles(Role.Admin)
@Controller('api/v1/staff')
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Get()
  @ApiOperation({ summary: 'List the merchant\'s staff (admin)' })
  @ApiOkResponse({ type: StaffPageDto })
  list(@CurrentCaller() caller: Caller, @Query() q: ListStaffQueryDto): Promise<Page<StaffResponseDto>> {
    return this.staff.list(caller, q);
  }

  @Post()
  @ApiOperation({ summary: 'Add a staff member (admin)' })
  @ApiCreatedResponse({ type: StaffResponseDto })
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateStaffDto): Promise<StaffResponseDto> {
    return this.staff.create(caller, dto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One staff member (admin)' })
  @ApiOkResponse({ type: StaffResponseDto })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<StaffResponseDto> {
    return this.staff.get(caller, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, change role, deactivate or reset the password (admin)' })
  @ApiErrors({ 422: 'An admin cannot deactivate or demote themselves' })
  @ApiOkResponse({ type: StaffResponseDto })
  update(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() dto: UpdateStaffDto): Promise<StaffResponseDto> {
    return this.staff.update(caller, id, dto);
  }
}
