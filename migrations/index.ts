// One import and one list entry per line: branches adding migrations merge without conflicts.
import { Foundation1763880000000 } from './1763880000000-Foundation.js';
import { Orders1763890000000 } from './1763890000000-Orders.js';
import { Logistics1763900000000 } from './1763900000000-Logistics.js';
import { Returns1763910000000 } from './1763910000000-Returns.js';
import { OutboundEvents1763920000000 } from './1763920000000-OutboundEvents.js';
import { OutboxLanes1764000000000 } from './1764000000000-OutboxLanes.js';
import { SecretsAndLeases1764010000000 } from './1764010000000-SecretsAndLeases.js';
import { InboxQueue1764030000000 } from './1764030000000-InboxQueue.js';
import { BusinessCalendar1764040000000 } from './1764040000000-BusinessCalendar.js';
import { Attachments1764050000000 } from './1764050000000-Attachments.js';
import { CaseIndex1764060000000 } from './1764060000000-CaseIndex.js';
import { CarrierRegistry1764070000000 } from './1764070000000-CarrierRegistry.js';
import { ShopShipFrom1764070000001 } from './1764070000001-ShopShipFrom.js';
import { OrderPhonesAndContent1764080000000 } from './1764080000000-OrderPhonesAndContent.js';
import { RefundPairing1764090000000 } from './1764090000000-RefundPairing.js';
import { SlaPause1764100000000 } from './1764100000000-SlaPause.js';
import { SettingsSections1764100000001 } from './1764100000001-SettingsSections.js';
import { ReturnLinesAndPlatformReturns1764110000000 } from './1764110000000-ReturnLinesAndPlatformReturns.js';
import { TaskMachine1764110000001 } from './1764110000001-TaskMachine.js';
import { Claims1764120000000 } from './1764120000000-Claims.js';
import { Reviews1764130000000 } from './1764130000000-Reviews.js';
import { ComplaintsAndFollowUps1764140000000 } from './1764140000000-ComplaintsAndFollowUps.js';
import { CaseSlaBreaches1764210000000 } from './1764210000000-CaseSlaBreaches.js';
import { AgentKpis1764220000000 } from './1764220000000-AgentKpis.js';
import { EventDeliveryLog1764230000000 } from './1764230000000-EventDeliveryLog.js';

/** Every migration, in order. Listed explicitly so the build, jest and the CLI load the same set. */
export const MIGRATIONS = [
  Foundation1763880000000,
  Orders1763890000000,
  Logistics1763900000000,
  Returns1763910000000,
  OutboundEvents1763920000000,
  OutboxLanes1764000000000,
  SecretsAndLeases1764010000000,
  InboxQueue1764030000000,
  BusinessCalendar1764040000000,
  Attachments1764050000000,
  CaseIndex1764060000000,
  CarrierRegistry1764070000000,
  ShopShipFrom1764070000001,
  OrderPhonesAndContent1764080000000,
  RefundPairing1764090000000,
  SlaPause1764100000000,
  SettingsSections1764100000001,
  ReturnLinesAndPlatformReturns1764110000000,
  TaskMachine1764110000001,
  Claims1764120000000,
  Reviews1764130000000,
  ComplaintsAndFollowUps1764140000000,
  CaseSlaBreaches1764210000000,
  AgentKpis1764220000000,
  EventDeliveryLog1764230000000,
];
