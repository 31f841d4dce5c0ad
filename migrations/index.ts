// One import and one list entry per line: branches adding migrations merge without conflicts.
import { Foundation1763880000000 } from './1763880000000-Foundation.js';
import { Orders1763890000000 } from './1763890000000-Orders.js';
import { Logistics1763900000000 } from './1763900000000-Logistics.js';
import { Returns1763910000000 } from './1763910000000-Returns.js';
import { OutboundEvents1763920000000 } from './1763920000000-OutboundEvents.js';
import { OutboxLanes1764000000000 } from './1764000000000-OutboxLanes.js';
import { SecretsAndLeases1764010000000 } from './1764010000000-SecretsAndLeases.js';
import { BusinessCalendar1764040000000 } from './1764040000000-BusinessCalendar.js';
import { Attachments1764050000000 } from './1764050000000-Attachments.js';
import { CaseIndex1764060000000 } from './1764060000000-CaseIndex.js';
import { CarrierRegistry1764070000000 } from './1764070000000-CarrierRegistry.js';
import { ShopShipFrom1764070000001 } from './1764070000001-ShopShipFrom.js';
import { OrderPhonesAndContent1764080000000 } from './1764080000000-OrderPhonesAndContent.js';
import { SlaPause1764100000000 } from './1764100000000-SlaPause.js';
import { SettingsSections1764100000001 } from './1764100000001-SettingsSections.js';

/** Every migration, in order. Listed explicitly so the build, jest and the CLI load the same set. */
export const MIGRATIONS = [
  Foundation1763880000000,
  Orders1763890000000,
  Logistics1763900000000,
  Returns1763910000000,
  OutboundEvents1763920000000,
  OutboxLanes1764000000000,
  SecretsAndLeases1764010000000,
  BusinessCalendar1764040000000,
  Attachments1764050000000,
  CaseIndex1764060000000,
  CarrierRegistry1764070000000,
  ShopShipFrom1764070000001,
  OrderPhonesAndContent1764080000000,
  SlaPause1764100000000,
  SettingsSections1764100000001,
];
