/** What a piece of evidence shows. Each case module allows the subset its procedure asks for. */
export enum AttachmentKind {
  /** the outer carton or bag as delivered (外包装) [002] */
  OuterPackage = 'outer_package',
  /** the inner packaging (内包装) [002] */
  InnerPackage = 'inner_package',
  /** the goods themselves */
  Item = 'item',
  /** the waybill / shipping label (面单) */
  Waybill = 'waybill',
  /** a chat transcript: screenshot or PDF (review extortion, complaints) */
  ChatTranscript = 'chat_transcript',
}

/** The content types accepted, judged by content (SPEC §8). */
export enum AttachmentMime {
  /** JPEG photo */
  Jpeg = 'image/jpeg',
  /** PNG image or screenshot */
  Png = 'image/png',
  /** WebP image */
  Webp = 'image/webp',
  /** PDF, for chat transcripts */
  Pdf = 'application/pdf',
}

export const IMAGE_MIMES: readonly AttachmentMime[] = [AttachmentMime.Jpeg, AttachmentMime.Png, AttachmentMime.Webp];

/** SPEC §8: at most 10 MB each. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** SPEC §8: at most 20 per case. */
export const MAX_ATTACHMENTS_PER_CASE = 20;

export const EXTENSION: Record<AttachmentMime, string> = {
  [AttachmentMime.Jpeg]: 'jpg',
  [AttachmentMime.Png]: 'png',
  [AttachmentMime.Webp]: 'webp',
  [AttachmentMime.Pdf]: 'pdf',
};
