import { ComplaintCategory } from '../complaints/complaint-status.js';
import type { CaseRow, MachineDefinition } from '../kernel/state-machine/machine.js';
import { LOGISTICS_EXCEPTION_MACHINE, LogisticsExceptionOutcome } from '../logistics/logistics-exception.machine.js';

/**
 * A resolution: a case (not a record such as an order) entering a state tagged `resolved` from
 * one that is not (or created in one). Moves between resolved states — a reship going on to
 * recall and close, an exchange shipped then completed — are the same resolution: one call.
 */
export function isResolution(machine: MachineDefinition, from: string | null, to: string): boolean {
  if ((machine.kind ?? 'record') !== 'case') return false;
  if (!machine.states[to]?.tags.includes('resolved')) return false;
  return from === null || !machine.states[from]?.tags.includes('resolved');
}

/**
 * Why a resolution gets no follow-up call, or null when it gets one. The module's `resolved` tag
 * says the customer's problem is over; a few outcomes under that tag had no problem to ask about.
 */
export function whyNoFollowUp(machine: MachineDefinition, row: CaseRow): string | null {
  // A logistics case dismissed as a false alarm closes `resolved` like the others, but nothing
  // happened to the customer's parcel: there is nothing to ask them about.
  if (machine.name === LOGISTICS_EXCEPTION_MACHINE && row.outcome === LogisticsExceptionOutcome.FalseAlarm) return 'a false alarm';
  return null;
}

/** The 顾客投诉分类统计表 row of a complaint opened by an unsatisfied follow-up of a case of `module`. */
export function complaintCategoryFor(module: string): ComplaintCategory {
  return module === LOGISTICS_EXCEPTION_MACHINE ? ComplaintCategory.Logistics : ComplaintCategory.AfterSales;
}
