import type { PlatformOrder, PlatformRefund } from '../../orders/platform-order.js';
import type { PlatformReturnRequest } from '../../returns/platform-return.js';
import type { PlatformReview } from '../../reviews/platform-review.js';

/** What a delivery means once mapped: the adapters' output, applied by the module it concerns. */
export type PlatformEvent =
  | { kind: 'order'; order: PlatformOrder }
  | { kind: 'refund'; refund: PlatformRefund }
  | { kind: 'return'; request: PlatformReturnRequest }
  | { kind: 'review'; review: PlatformReview }
  | { kind: 'unhandled'; reason: string };
