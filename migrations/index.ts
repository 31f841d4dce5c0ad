import { Foundation1763880000000 } from './1763880000000-Foundation.js';

/** Every migration, in order. Listed explicitly so the build, jest and the CLI load the same set. */
export const MIGRATIONS = [Foundation1763880000000];
