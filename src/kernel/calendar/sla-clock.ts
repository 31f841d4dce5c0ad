import type { BusinessCalendar } from './business-calendar.js';

const HOUR_MS = 3_600_000;

/** A case entered `state` at `enteredAt` (its timeline's status changes, oldest first). */
export interface StateEntry {
  state: string;
  enteredAt: Date;
}

export interface SlaClockInput {
  /** Status changes of the case; the first entry starts the clock. */
  history: readonly StateEntry[];
  /** States tagged `waiting_customer`: the clock stands still in them (SPEC §4, Zammad "pending"). */
  pausedStates: Iterable<string>;
  /** The SLA budget; without it only the elapsed time is computed. */
  budgetHours?: number;
  /** 'business' (default) counts business hours only; 'wall' counts every hour (e.g. "within 24 h"). */
  count?: 'business' | 'wall';
  now: Date;
}

export interface SlaClockState {
  /** The clock runs now (the current state is not a waiting state). */
  running: boolean;
  /** When the clock started: the first history entry. */
  startedAt: Date;
  /** Counted time while running, up to `now`, in ms. */
  elapsedMs: number;
  /** Wall time spent in waiting states, up to `now`, in ms. */
  pausedMs: number;
  /** When the clock last left a waiting state; null when it never paused. Restart-style rules (the claim's 16:00) count from here. */
  resumedAt: Date | null;
  /**
   * When the budget is (or was) used up: the instant it ran out when already past, else the
   * projection from the current running state. Null while paused before running out, or without a budget.
   */
  dueAt: Date | null;
  /** Budget left in ms (never negative); null without a budget. */
  remainingMs: number | null;
  overdue: boolean;
}

/**
 * An SLA clock that pauses in waiting states. Pure: the history and the calendar in, the clock
 * state out, so the same numbers come out for the API, the sweeper and the reports.
 */
export function slaClock(calendar: BusinessCalendar, input: SlaClockInput): SlaClockState {
  const now = input.now.getTime();
  if (Number.isNaN(now)) throw new Error('Invalid now');
  if (!input.history.length) throw new Error('An SLA clock needs at least one state entry');
  if (input.budgetHours !== undefined && (!Number.isFinite(input.budgetHours) || input.budgetHours < 0)) {
    throw new Error(`Invalid SLA budget ${input.budgetHours}`);
  }
  const paused = new Set(input.pausedStates);
  const wall = input.count === 'wall';
  const between = (a: number, b: number) => (b <= a ? 0 : wall ? b - a : calendar.businessMsBetween(new Date(a), new Date(b)));
  const add = (a: number, ms: number) => (wall ? a + ms : calendar.addBusinessMs(a, ms));
  const budget = input.budgetHours === undefined ? null : Math.round(input.budgetHours * HOUR_MS);

  const history = [...input.history].sort((x, y) => x.enteredAt.getTime() - y.enteredAt.getTime());
  if (history.some((h) => Number.isNaN(h.enteredAt.getTime()))) throw new Error('Invalid enteredAt in SLA history');

  let elapsed = 0;
  let pausedMs = 0;
  let resumedAt: number | null = null;
  let ranOutAt: number | null = null;
  let wasPaused = false;
  for (let i = 0; i < history.length; i++) {
    const start = Math.min(history[i].enteredAt.getTime(), now);
    const end = i + 1 < history.length ? Math.min(history[i + 1].enteredAt.getTime(), now) : now;
    const isPaused = paused.has(history[i].state);
    if (isPaused) {
      pausedMs += Math.max(0, end - start);
    } else {
      if (wasPaused) resumedAt = start;
      const span = between(start, end);
      if (budget !== null && ranOutAt === null && elapsed + span >= budget && span > 0) ranOutAt = add(start, budget - elapsed);
      if (budget !== null && ranOutAt === null && budget === 0) ranOutAt = start;
      elapsed += span;
    }
    wasPaused = isPaused;
  }

  const last = history[history.length - 1];
  const running = !paused.has(last.state);
  let dueAt: number | null = ranOutAt;
  if (dueAt === null && budget !== null && running) dueAt = add(now, budget - elapsed);
  return {
    running,
    startedAt: history[0].enteredAt,
    elapsedMs: elapsed,
    pausedMs,
    resumedAt: resumedAt === null ? null : new Date(resumedAt),
    dueAt: dueAt === null ? null : new Date(dueAt),
    remainingMs: budget === null ? null : Math.max(0, budget - elapsed),
    overdue: ranOutAt !== null && ranOutAt <= now,
  };
}
