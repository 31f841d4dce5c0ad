import { AGENT_PLUS, ALL_ROLES } from '../auth/roles.js';
import { RuleViolation } from '../errors/domain-errors.js';
import type { ActionDefinition, Guard, MachineDefinition, TransitionContext } from '../state-machine/machine.js';
import { AssignCaseDto, NoteCaseDto } from './case-action.dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Kernel guards any machine may name; modules cannot redefine them. */
export const KERNEL_GUARDS: Readonly<Record<string, Guard>> = {
  /** The assignee is an active staff member of the case's merchant (another merchant's id is just "not staff"). */
  async throwIfAssigneeNotStaff(ctx: TransitionContext<{ assigneeId?: string | null }>): Promise<void> {
    const id = ctx.input.assigneeId;
    if (id === null || id === undefined) return;
    if (typeof id !== 'string' || !UUID.test(id)) throw new RuleViolation(`assignee ${String(id)} is not a staff member id`, { assigneeId: id });
    const rows: unknown[] = await ctx.manager.query('SELECT 1 FROM staff WHERE id = $1 AND merchant_id = $2 AND active', [id, ctx.row.merchant_id]);
    if (!rows.length) throw new RuleViolation(`assignee ${id} is not an active staff member of this merchant`, { assigneeId: id });
  },
};

/**
 * The actions every case machine gets (SPEC §3: assignee, timeline): `assign` while the case is
 * not closed, and `note` in any state. Both keep the status; the engine writes the timeline, bumps
 * the version and updates the case index like any transition.
 */
export function caseActionsFor(def: MachineDefinition<any>): Record<string, ActionDefinition<any>> {
  const all = Object.keys(def.states);
  const notClosed = all.filter((s) => !def.states[s].tags?.includes('closed'));
  const actions: Record<string, ActionDefinition<any>> = {
    note: {
      description: 'add a note to the timeline; the status stays',
      from: all,
      to: 'stay',
      actors: ALL_ROLES,
      input: NoteCaseDto,
    },
  };
  if (notClosed.length) {
    actions.assign = {
      description: 'assign the case to a staff member of the merchant (null unassigns); the status stays',
      from: notClosed,
      to: 'stay',
      actors: AGENT_PLUS,
      guards: ['throwIfAssigneeNotStaff'],
      input: AssignCaseDto,
      set: (ctx) => ({ assignee_id: (ctx.input as AssignCaseDto).assigneeId ?? null }),
    };
  }
  // assign first: the order allowedActions lists them in.
  return actions.assign ? { assign: actions.assign, note: actions.note } : { note: actions.note };
}
