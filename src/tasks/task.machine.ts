import { AGENT_PLUS, ALL_ROLES } from '../kernel/auth/roles.js';
import { AssignCaseDto } from '../kernel/cases/case-action.dto.js';
import { defineMachine } from '../kernel/state-machine/machine.js';
import { DismissTaskDto, DoneTaskDto } from './dto.js';
import { TaskStatus } from './task.entity.js';

const S = TaskStatus;

/**
 * A worklist task (SPEC §10: "worklist tasks of any kind can be assigned, done or dismissed with a
 * reason"). A `record`, not a case: it has no cost, recovery or follow-up of its own and never keeps
 * an order from completing; indexed, so the worklist reads it with the cases (case_index, kind
 * `record`) and the due sweeper marks it overdue. Its deadline is given by whoever creates it
 * ([002] 值班流失单: at once), not by a rule of the state.
 */
export const taskMachine = defineMachine<TaskStatus>({
  name: 'task',
  table: 'tasks',
  collection: 'tasks',
  description: 'Worklist task: assigned, done, or dismissed with a reason',
  kind: 'record',
  indexed: true,
  states: {
    [S.Open]: { description: 'to do; overdue once dueAt passes', tags: ['open'], onDue: { mark: 'overdue' } },
    [S.Done]: { description: 'done (or resolved: the work became moot)', tags: ['closed', 'resolved'], terminal: true },
    [S.Dismissed]: { description: 'not needed, with the reason', tags: ['closed'], terminal: true },
  },
  initial: [S.Open],
  actions: {
    assign: {
      description: 'give the task to a staff member of the merchant (null unassigns; 422 for anyone else); the status and deadline stay',
      from: [S.Open],
      to: 'stay',
      actors: AGENT_PLUS,
      guards: ['throwIfAssigneeNotStaff'],
      input: AssignCaseDto,
      set: (ctx) => ({ assignee_id: (ctx.input as AssignCaseDto).assigneeId ?? null }),
    },
    done: {
      description: 'the work is done, with an optional note',
      from: [S.Open],
      to: S.Done,
      actors: ALL_ROLES,
      input: DoneTaskDto,
      set: (ctx) => ({ done_at: ctx.now, done_note: (ctx.input as DoneTaskDto).note ?? null }),
    },
    dismiss: {
      description: 'the work is not needed, with the reason',
      from: [S.Open],
      to: S.Dismissed,
      actors: ALL_ROLES,
      input: DismissTaskDto,
      set: (ctx) => ({ dismissed_at: ctx.now, dismiss_reason: (ctx.input as DismissTaskDto).reason }),
    },
    resolve: {
      description: 'the work became moot (e.g. the unpaid order was paid); fired by the module that created the task',
      from: [S.Open],
      to: S.Done,
      actors: ['system'],
      internal: true,
      set: (ctx) => ({ done_at: ctx.now }),
    },
  },
});
