import { Merchant } from '../auth/merchant.entity.js';
import { Session } from '../auth/session.entity.js';
import { TimelineEvent } from '../kernel/timeline/timeline-event.entity.js';
import { Shop } from '../shops/shop.entity.js';
import { Staff } from '../staff/staff.entity.js';

/** Every entity, listed explicitly (no globs: the build, jest and the CLI see the same set). */
export const ENTITIES = [Merchant, Session, Staff, Shop, TimelineEvent];
