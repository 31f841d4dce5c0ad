/** A review's states (SPEC §9). The one place review status strings are written. */
export enum ReviewStatus {
  /** A good review (4–5 stars, 好评): nothing to recover. Final. */
  NoAction = 'no_action',
  /** A neutral or bad review (中差评): the recovery starts; first contact due within 24 h [002 联系中差评]. */
  Open = 'open',
  /** Called without reaching the customer; the next attempt is due at a callable time. */
  Contacting = 'contacting',
  /** The customer was reached: find out what went wrong. */
  Reached = 'reached',
  /** Root cause known (serviceCaused recorded for the KPIs [002]): offer a remedy. */
  Diagnosed = 'diagnosed',
  /** A remedy was offered; the customer decides. */
  RemedyOffered = 'remedy_offered',
  /** The customer accepted the remedy; waiting for the revised review (7 days). */
  AwaitingRevision = 'awaiting_revision',
  /** Extortion flagged with evidence [001 敲诈]: only a supervisor may offer money now. */
  Escalated = 'escalated',
  /** Done, with an outcome. Final. */
  Closed = 'closed',
}

/** How a closed recovery ended. */
export enum ReviewOutcome {
  /** The platform reported a better rating. */
  Revised = 'revised',
  /** The customer declined the remedy. */
  Declined = 'declined',
  /** Accepted a remedy but did not revise within 7 days (or staff said so). */
  Unrevised = 'unrevised',
  /** The customer could not be reached, or refused to talk. */
  Unreached = 'unreached',
  /** Extortion: the demand was refused, the evidence kept [001]. */
  ExtortionRefused = 'extortion_refused',
}

/** Where the review came from. */
export enum ReviewSource {
  /** A platform webhook (generic `review.created` / `review.updated`). */
  Platform = 'platform',
  /** Registered by staff (platforms without a review webhook, e.g. Shopify). */
  Staff = 'staff',
}

/** What a contact attempt came to. */
export enum ContactOutcome {
  Reached = 'reached',
  /** Not picked up: the next attempt is scheduled at the next callable time. */
  NoAnswer = 'no_answer',
  /** The customer refused to talk. */
  Refused = 'refused',
}

/** How the customer was contacted [002 电话联系, 旺旺]. */
export enum ContactChannel {
  Phone = 'phone',
  Chat = 'chat',
  Sms = 'sms',
  Email = 'email',
}

/** Why the customer was unhappy. */
export enum RootCause {
  ProductQuality = 'product_quality',
  Logistics = 'logistics',
  Service = 'service',
  Price = 'price',
  DescriptionMismatch = 'description_mismatch',
  Other = 'other',
}

/** What the merchant offers to make it right [001 合理/合算]. */
export enum RemedyType {
  /** An apology and explanation: no money. */
  Apology = 'apology',
  /** Money back through the refund ledger. */
  Refund = 'refund',
  /** A gift (at goods cost), e.g. with the next order. */
  Gift = 'gift',
  /** The goods sent again (goods at cost plus freight). */
  Reship = 'reship',
}

/** How a public reply reaches the platform. */
export enum ReplyDelivery {
  /** Sent through the platform adapter (outbox). */
  Platform = 'platform',
  /** The platform has no reply API (or none is configured): staff paste it by hand. */
  Manual = 'manual',
}

export enum ReplyStatus {
  /** Waiting for the outbox dispatcher. */
  Queued = 'queued',
  /** The platform took it. */
  Sent = 'sent',
  /** The platform refused it, or retries ran out. */
  Failed = 'failed',
  /** For staff to paste on the platform. */
  Manual = 'manual',
}

/** Remedies that cost money (and so fall under the cap). */
export const MONEY_REMEDIES: readonly RemedyType[] = [RemedyType.Refund, RemedyType.Gift, RemedyType.Reship];

/** SPEC §9: rating ≤ 3 (中评 3, 差评 1–2) opens the recovery; 4–5 is 好评. */
export const RECOVERY_MAX_RATING = 3;

/** Every state that is not closed (reply, flag-extortion, revision detected). */
export const OPEN_REVIEW_STATUSES: readonly ReviewStatus[] = [
  ReviewStatus.Open, ReviewStatus.Contacting, ReviewStatus.Reached, ReviewStatus.Diagnosed,
  ReviewStatus.RemedyOffered, ReviewStatus.AwaitingRevision, ReviewStatus.Escalated,
];

/** 好评 / 中评 / 差评 of a rating (SPEC §9). */
export function ratingGrade(rating: number): 'good' | 'neutral' | 'bad' {
  return rating >= 4 ? 'good' : rating === 3 ? 'neutral' : 'bad';
}
