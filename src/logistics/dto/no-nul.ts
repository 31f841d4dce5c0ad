import { Matches } from 'class-validator';

/** PostgreSQL text and jsonb cannot hold NUL: refused as a validation error (400), never a 500. */
export const NoNul = () => Matches(/^[^\u0000]*$/, { message: '$property must not contain NUL characters' });
