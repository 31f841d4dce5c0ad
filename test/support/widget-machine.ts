/**
 * A small test-only machine and module, registered by the specs that need it (not part of src/).
 * Table test_widgets is created by the spec itself.
 */
import { Body, Controller, Get, Injectable, Module, OnModuleInit, Param, Post, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CurrentCaller } from '../../src/kernel/auth/decorators.js';
import { AGENT_PLUS, type Caller, Role, SUPERVISOR_PLUS } from '../../src/kernel/auth/roles.js';
import { NotFound, RuleViolation } from '../../src/kernel/errors/domain-errors.js';
import { caseFilter } from '../../src/kernel/cases/case-filter.js';
import { CaseListQueryDto } from '../../src/kernel/cases/case-query.dto.js';
import { paginateSql } from '../../src/kernel/pagination/pagination.js';
import { allowedActions, defineMachine, type TransitionContext } from '../../src/kernel/state-machine/machine.js';
import { MachineRegistry } from '../../src/kernel/state-machine/machine-registry.js';
import { isUuid, StateMachineEngine } from '../../src/kernel/state-machine/state-machine.engine.js';
import { TimelineService } from '../../src/kernel/timeline/timeline.service.js';

export enum WidgetStatus {
  /** being drafted */
  Draft = 'draft',
  /** waiting for a decision */
  Submitted = 'submitted',
  /** approved */
  Approved = 'approved',
  /** rejected */
  Rejected = 'rejected',
  /** done */
  Closed = 'closed',
}

function throwIfOverLimit(ctx: TransitionContext): void {
  if (Number(ctx.row.amount) > 1000) throw new RuleViolation(`amount ${String(ctx.row.amount)} is above the approval limit 1000`);
}

export const widgetMachine = defineMachine<WidgetStatus>({
  name: 'test_widget',
  table: 'test_widgets',
  collection: 'widgets',
  description: 'Test-only machine',
  kind: 'case',
  states: {
    [WidgetStatus.Draft]: { description: 'being drafted', tags: ['open'] },
    [WidgetStatus.Submitted]: { description: 'waiting for a decision', tags: ['open'], due: { kind: 'businessHours', hours: 12 }, onDue: { action: 'expire', note: 'no decision in time' } },
    [WidgetStatus.Approved]: { description: 'approved', tags: ['open', 'resolved'], due: { kind: 'cutoff' }, onDue: { mark: 'overdue' } },
    [WidgetStatus.Rejected]: { description: 'rejected', tags: ['open'] },
    [WidgetStatus.Closed]: { description: 'done', tags: ['closed', 'resolved'], terminal: true },
  },
  initial: [WidgetStatus.Draft],
  actions: {
    submit: { description: 'submit', from: [WidgetStatus.Draft, WidgetStatus.Rejected], to: WidgetStatus.Submitted, actors: AGENT_PLUS },
    approve: { description: 'approve', from: [WidgetStatus.Submitted], to: WidgetStatus.Approved, actors: SUPERVISOR_PLUS, guards: ['throwIfOverLimit'] },
    reject: { description: 'reject', from: [WidgetStatus.Submitted], to: WidgetStatus.Rejected, actors: AGENT_PLUS },
    close: { description: 'close', from: [WidgetStatus.Approved, WidgetStatus.Rejected], to: WidgetStatus.Closed, actors: [Role.Supervisor, Role.Admin, 'system'] },
    'escalate-hours': { description: 'due in 24 h', from: [WidgetStatus.Submitted], to: WidgetStatus.Submitted, actors: AGENT_PLUS, due: { kind: 'hours', hours: 24 } },
    expire: { description: '(timer) no decision in time', from: [WidgetStatus.Submitted], to: WidgetStatus.Rejected, actors: ['system'] },
  },
});

export class ListWidgetsQueryDto extends CaseListQueryDto(WidgetStatus) {}

export const WIDGET_TABLE_SQL = `
  CREATE TABLE IF NOT EXISTS test_widgets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    merchant_id uuid NOT NULL REFERENCES merchants(id),
    shop_id uuid REFERENCES shops(id),
    status text NOT NULL,
    version integer NOT NULL,
    due_at timestamptz,
    assignee_id uuid,
    order_id uuid,
    amount integer NOT NULL DEFAULT 0,
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`;

@Injectable()
export class WidgetService implements OnModuleInit {
  constructor(
    private readonly engine: StateMachineEngine,
    private readonly registry: MachineRegistry,
    private readonly timeline: TimelineService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register(widgetMachine, { guards: { throwIfOverLimit } });
  }

  async create(caller: Caller, body: { shopId?: string; amount?: number; orderId?: string }) {
    const r = await this.engine.create(widgetMachine, caller, { shop_id: body.shopId ?? null, amount: body.amount ?? 0, order_id: body.orderId ?? null }, { status: WidgetStatus.Draft });
    return r.row;
  }

  async fire(caller: Caller, id: string, action: string, body: { expectedVersion?: number; note?: string; assigneeId?: string | null }) {
    const { expectedVersion, note, ...input } = body;
    const r = await this.engine.fire(widgetMachine, id, action, caller, { input, expectedVersion, note: note ?? null });
    return { ...r.row, event: r.event };
  }

  list(caller: Caller, q: ListWidgetsQueryDto) {
    return paginateSql(this.db, 'test_widgets', caseFilter(caller.merchantId, q), q);
  }

  async get(caller: Caller, id: string) {
    if (!isUuid(id)) throw new NotFound('widget', id);
    const rows = await this.db.query('SELECT * FROM test_widgets WHERE id = $1 AND merchant_id = $2', [id, caller.merchantId]);
    if (!rows.length) throw new NotFound('widget', id);
    return {
      ...rows[0],
      timeline: await this.timeline.listFor(caller.merchantId, widgetMachine.name, id),
      allowedActions: allowedActions(widgetMachine, rows[0], caller),
    };
  }
}

@Controller('api/v1/widgets')
export class WidgetController {
  constructor(private readonly widgets: WidgetService) {}

  // Test-only controller: bodies are plain objects (not DTO classes), so the global pipe lets them through.
  @Post()
  create(@CurrentCaller() caller: Caller, @Body() body: Record<string, never>) {
    return this.widgets.create(caller, body);
  }

  @Get()
  list(@CurrentCaller() caller: Caller, @Query() q: ListWidgetsQueryDto) {
    return this.widgets.list(caller, q);
  }

  @Get(':id')
  get(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    return this.widgets.get(caller, id);
  }

  @Post(':id/:action')
  fire(@CurrentCaller() caller: Caller, @Param('id') id: string, @Param('action') action: string, @Body() body: Record<string, never>) {
    return this.widgets.fire(caller, id, action, body);
  }
}

@Module({ controllers: [WidgetController], providers: [WidgetService] })
export class WidgetTestModule {}
