/** What each module's tag groups, shown by /docs. A module without an entry gets a generic line. */
const TAGS: Record<string, string> = {
  auth: 'Log in: a bearer token for the admin API',
  staff: 'Staff members of the merchant and their roles (admin)',
  shops: 'Shops of the merchant: platform, webhook secret, timezone and business hours',
  orders: 'Orders from the shop platforms and their procedure (audit, confirm, ship) [002][004]',
  returns: 'Returns, refunds only and exchanges (退换货) and the approval limit',
  refunds: 'The refund ledger: goodwill refunds, manual and failed refunds, refund channels',
  logistics: 'Shipments, tracking, carriers, stale parcels and logistics exceptions [002]',
  reports: 'Refund reconciliation and refund rates for finance',
  calendar: 'Business hours, quiet hours, holidays and make-up working days',
  settings: 'Merchant settings of the order procedure and carrier coverage',
  tasks: 'Work the timers put on the list (e.g. unpaid orders to follow up)',
  'audit-findings': 'Order-audit errors (审单失误) supervisors record against agents, read by the agent KPI sheet [002]',
  attachments: 'Case evidence files (photos, waybills, chat transcripts)',
  meta: 'The procedures as data: every state machine, its actions and their input schemas',
  'webhook-endpoints': 'Merchant endpoints that receive signed outbound events',
  webhooks: 'Inbound signed webhooks of shop platforms and carriers, and the deliveries received',
  operations: 'Liveness of the service',
};

export function tagDescription(tag: string): string {
  return TAGS[tag] ?? `Operations of the ${tag.replace(/-/g, ' ')} module`;
}
