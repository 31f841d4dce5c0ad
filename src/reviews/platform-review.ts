/** One review as a platform reported it (generic `review.created` / `review.updated`, SPEC §9). */
export interface PlatformReview {
  /** Which topic it came with: a `review.updated` of an unknown review still creates it. */
  topic: 'created' | 'updated';
  platformReviewId: string;
  /** The platform order id the review is about, when the platform says. */
  platformOrderId: string | null;
  /** 1–5 stars. */
  rating: number;
  /** The text, entities decoded; '' for a rating without words. */
  content: string;
  /** When the customer wrote the review. */
  reviewedAt: Date;
  /** The review's version on the platform (`updatedAt`, else the delivery's `occurredAt`): only a newer one is applied. */
  updatedAt: Date;
}
