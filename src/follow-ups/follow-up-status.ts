/** States of a follow-up task (回访). The one place these strings are written. */
export enum FollowUpStatus {
  /** To call: due within 3 days of the resolution, at a time the customer may be called [000]. */
  Open = 'open',
  /** Called; the result is recorded (回访记录表). */
  Done = 'done',
  /** Not called, with the reason (the customer asked not to be called, a duplicate, …). */
  Dismissed = 'dismissed',
}

/** What the customer said on the call [000 回访: 满意 / 一般 / 不满意]. */
export enum FollowUpResult {
  Satisfied = 'satisfied',
  Neutral = 'neutral',
  Unsatisfied = 'unsatisfied',
}

/** [000] 必须保证在三天之内回访. */
export const FOLLOW_UP_WITHIN_DAYS = 3;
