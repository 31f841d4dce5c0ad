/** Normalised tracking status of a shipment (SPEC §6). The one place these strings are written. */
export enum TrackingStatus {
  /** Registered, not yet collected by the carrier. */
  PendingPickup = 'pending_pickup',
  /** Collected and moving (在途, 揽收, 转投, 清关). */
  InTransit = 'in_transit',
  /** With the courier for delivery (派件). */
  OutForDelivery = 'out_for_delivery',
  /** Signed for (签收). */
  Delivered = 'delivered',
  /** Delivery failed: refused or signed back (退签, 拒签). */
  FailedAttempt = 'failed_attempt',
  /** On its way back to the sender (退回). */
  Returning = 'returning',
  /** Back with the sender. */
  Returned = 'returned',
  /** The carrier reports a problem (疑难). */
  Exception = 'exception',
}

export const TRACKING_STATUSES: readonly TrackingStatus[] = Object.values(TrackingStatus);

/** A parcel in one of these has stopped travelling: never stale, never polled. */
export const FINISHED_TRACKING: readonly TrackingStatus[] = [TrackingStatus.Delivered, TrackingStatus.Returned];

export function isFinished(status: string | null | undefined): boolean {
  return (FINISHED_TRACKING as readonly string[]).includes(status ?? '');
}

/** FINISHED_TRACKING as an SQL list literal: partial-index predicates must appear as literals in a query for the planner to use the index. */
export const FINISHED_TRACKING_SQL = FINISHED_TRACKING.map((st) => `'${st}'`).join(', ');

/** Kuaidi100 `lastResult.state` codes (SPEC §6). The raw code is kept beside the normalised status. */
export const KUAIDI100_STATES: Readonly<Record<string, TrackingStatus>> = {
  '0': TrackingStatus.InTransit, // 在途
  '1': TrackingStatus.InTransit, // 揽收
  '2': TrackingStatus.Exception, // 疑难
  '3': TrackingStatus.Delivered, // 签收
  '4': TrackingStatus.FailedAttempt, // 退签
  '5': TrackingStatus.OutForDelivery, // 派件
  '6': TrackingStatus.Returning, // 退回
  '7': TrackingStatus.InTransit, // 转投
  '8': TrackingStatus.InTransit, // 清关
  '14': TrackingStatus.FailedAttempt, // 拒签
};

/** The normalised status of a Kuaidi100 state code, or null for a code we do not know. */
export function mapKuaidi100State(state: string | number | null | undefined): TrackingStatus | null {
  if (state === null || state === undefined) return null;
  const code = String(state).trim();
  if (KUAIDI100_STATES[code]) return KUAIDI100_STATES[code];
  // resultv2 sub-states: 14xx under 拒签, three digits under their first digit (501 → 5 派件).
  if (/^14\d{2}$/.test(code)) return KUAIDI100_STATES['14'];
  if (/^\d{3}$/.test(code)) return KUAIDI100_STATES[code[0]] ?? null;
  return null;
}

export function isTrackingStatus(v: unknown): v is TrackingStatus {
  return typeof v === 'string' && (TRACKING_STATUSES as readonly string[]).includes(v);
}
