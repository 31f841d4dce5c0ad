import { Merchant } from '../auth/merchant.entity.js';
import { WebhookEndpoint } from '../events/webhook-endpoint.entity.js';
import { Session } from '../auth/session.entity.js';
import { TimelineEvent } from '../kernel/timeline/timeline-event.entity.js';
import { Shop } from '../shops/shop.entity.js';
import { Staff } from '../staff/staff.entity.js';
import { Shipment } from '../logistics/shipment.entity.js';
import { ShipmentEvent } from '../logistics/shipment-event.entity.js';
import { LogisticsException } from '../logistics/logistics-exception.entity.js';
import { CarrierPush } from '../logistics/carriers/carrier-push.entity.js';
import { Order, OrderConfirmationCall, OrderLine, PlatformRefundRecord } from '../orders/order.entity.js';
import { Task } from '../tasks/task.entity.js';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity.js';

/** Every entity, listed explicitly (no globs: the build, jest and the CLI see the same set). */
export const ENTITIES = [
  Merchant, Session, Staff, Shop, TimelineEvent, WebhookEndpoint,
  Order, OrderLine, OrderConfirmationCall, PlatformRefundRecord, Shipment, Task, WebhookDelivery,
  ShipmentEvent, LogisticsException, CarrierPush,
];
