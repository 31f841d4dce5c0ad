import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiDocument } from '../openapi/api-document.js';
import { describeMachine, MachineDescriptionDto } from './machine-description.js';
import { MachineRegistry } from './machine-registry.js';

@ApiTags('meta')
@ApiBearerAuth()
@Controller('api/v1/meta')
export class MetaController {
  constructor(
    private readonly registry: MachineRegistry,
    private readonly doc: ApiDocument,
  ) {}

  @Get('state-machines')
  @ApiOperation({ summary: 'Every registered state machine: states, actions (with the JSON Schema of their body), transitions, roles, guards, deadlines' })
  @ApiOkResponse({ type: [MachineDescriptionDto] })
  list(): MachineDescriptionDto[] {
    return this.registry.all().map((m) => describeMachine(m, (collection, action) => this.doc.actionInput(collection, action)));
  }
}
