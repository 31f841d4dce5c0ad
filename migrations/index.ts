// One import and one list entry per line: branches adding migrations merge without conflicts.
import { Foundation1763880000000 } from './1763880000000-Foundation.js';
import { Orders1763890000000 } from './1763890000000-Orders.js';
import { Logistics1763900000000 } from './1763900000000-Logistics.js';
import { Returns1763910000000 } from './1763910000000-Returns.js';
import { OutboundEvents1763920000000 } from './1763920000000-OutboundEvents.js';
import { OutboxLanes1764000000000 } from './1764000000000-OutboxLanes.js';
import { BusinessCalendar1764040000000 } from './1764040000000-BusinessCalendar.js';
import { RefundPairing1764090000000 } from './1764090000000-RefundPairing.js';

/** Every migration, in order. Listed explicitly so the build, jest and the CLI load the same set. */
export const MIGRATIONS = [
  Foundation1763880000000,
  Orders1763890000000,
  Logistics1763900000000,
  Returns1763910000000,
  OutboundEvents1763920000000,
  OutboxLanes1764000000000,
  BusinessCalendar1764040000000,
  RefundPairing1764090000000,
];
