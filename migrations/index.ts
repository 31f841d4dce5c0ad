import { Foundation1763880000000 } from './1763880000000-Foundation.js';
import { InboxQueue1764030000000 } from './1764030000000-InboxQueue.js';
import { OutboundEvents1763920000000 } from './1763920000000-OutboundEvents.js';
import { Orders1763890000000 } from './1763890000000-Orders.js';
import { Returns1763910000000 } from './1763910000000-Returns.js';
import { Logistics1763900000000 } from './1763900000000-Logistics.js';

/** Every migration, in order. Listed explicitly so the build, jest and the CLI load the same set. */
export const MIGRATIONS = [Foundation1763880000000, Orders1763890000000, Logistics1763900000000, Returns1763910000000, OutboundEvents1763920000000, InboxQueue1764030000000];
