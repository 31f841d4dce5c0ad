import { Injectable, OnModuleInit } from '@nestjs/common';
import { StateMachineEngine, type TransitionNotice } from '../kernel/state-machine/state-machine.engine.js';

/**
 * Keeps every overdue mark of a case with the agent it was assigned to then (sla_breaches): the
 * case index holds only the latest mark and clears it on the next transition, and the KPI sheet
 * counts the breaches of a month [SPEC §12]. Records (orders, tasks, follow-up calls) are left
 * out: the sheet scores unpaid orders and follow-up calls by their own rules.
 */
@Injectable()
export class SlaBreachRecorder implements OnModuleInit {
  constructor(private readonly engine: StateMachineEngine) {}

  onModuleInit(): void {
    this.engine.onTransition((n) => this.record(n));
  }

  private async record(n: TransitionNotice): Promise<void> {
    if (n.change !== 'overdue' || n.machine.kind !== 'case') return;
    await n.manager.query(
      `INSERT INTO sla_breaches (merchant_id, shop_id, machine, case_id, status, assignee_id, due_at, marked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [n.row.merchant_id, n.row.shop_id ?? null, n.machine.name, n.row.id, n.to, n.row.assignee_id ?? null, n.row.due_at ?? null, n.at],
    );
  }
}
