import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { describeMachine, MachineDescriptionDto } from './machine-description.js';
import { MachineRegistry } from './machine-registry.js';

@ApiTags('meta')
@ApiBearerAuth()
@Controller('api/v1/meta')
export class MetaController {
  constructor(private readonly registry: MachineRegistry) {}

  @Get('state-machines')
  @ApiOperation({ summary: 'Every registered state machine: states, actions, transitions, roles, guards, deadlines' })
  @ApiOkResponse({ type: [MachineDescriptionDto] })
  list(): MachineDescriptionDto[] {
    return this.registry.all().map(describeMachine);
  }
}
