import { registerDecorator, type ValidationOptions } from 'class-validator';

export const LINE_REF_DESCRIPTION =
  'The order line: its id (uuid), lineNo (number or digits) or platformLineId, as the order detail shows them; resolved within the order (422 when none or several lines match)';

/** A line reference: a non-empty string (no NUL, at most 200 characters) or a positive safe integer (a lineNo). */
export function isLineRef(v: unknown): boolean {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v > 0;
  return typeof v === 'string' && v.trim().length > 0 && v.length <= 200 && !v.includes('\u0000');
}

export function IsLineRef(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isLineRef',
      target: object.constructor,
      propertyName,
      options: {
        // A platform id written as a JSON number above 2^53 has already lost digits: ask for text.
        message: `${propertyName} must be a line's id (uuid), lineNo (a positive whole number) or platformLineId (text; send platform ids as strings)`,
        ...options,
      },
      validator: { validate: isLineRef },
    });
}
