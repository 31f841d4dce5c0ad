import { parseJsonLossless } from '../../kernel/json/lossless-json.js';
import { GenericAdapter } from './generic.adapter.js';
import { PayloadError } from './platform-adapter.js';
import { ShopifyAdapter } from './shopify.adapter.js';
import { WooCommerceAdapter } from './woocommerce.adapter.js';

const shop = { id: 'shop', currency: 'CNY' };

// Trimmed from Shopify's documented orders/create sample payload (ids above 2^53, a discount, shipping).
const SHOPIFY_SAMPLE = `{"id":820982911946154508,"email":"jon@example.com","cancelled_at":null,"created_at":"2021-12-31T19:00:00-05:00",
"currency":"USD","financial_status":"voided","fulfillment_status":"pending","name":"#9999","note":null,"order_number":1234,
"payment_gateway_names":["visa","bogus"],"phone":null,"processed_at":"2021-12-31T19:00:00-05:00","subtotal_price":"388.00",
"taxes_included":false,"total_discounts":"20.00","total_line_items_price":"398.00","total_price":"388.00",
"total_shipping_price_set":{"shop_money":{"amount":"10.00","currency_code":"USD"}},"total_tax":"0.00","total_tip_received":"0.00",
"updated_at":"2021-12-31T19:00:00-05:00","customer":{"id":115310627314723954,"email":"john@example.com","first_name":"John","last_name":"Smith"},
"line_items":[{"id":866550311766439020,"name":"IPod Nano - 8GB","price":"199.00","quantity":1,"sku":"IPOD2008PINK","title":"IPod Nano - 8GB"},
{"id":141249953214522974,"name":"IPod Nano - 8GB","price":"199.00","quantity":1,"sku":"IPOD2008PINK","title":"IPod Nano - 8GB"}],
"shipping_address":{"first_name":"Steve","address1":"123 Shipping Street","phone":"555-555-SHIP","city":"Shippington","zip":"40003",
"province":"Kentucky","country":"United States","last_name":"Shipper","address2":null,"name":"Steve Shipper","country_code":"US","province_code":"KY"},
"shipping_lines":[{"id":271878346596884015,"price":"10.00","title":"Generic Shipping"}],"fulfillments":[],"refunds":[]}`;

// WooCommerce REST API v3 documentation's order 727.
const WOO_SAMPLE = `{"id":727,"parent_id":0,"number":"727","status":"processing","currency":"USD","date_created":"2017-03-22T16:28:02",
"date_created_gmt":"2017-03-22T19:28:02","date_modified":"2017-03-22T16:28:08","date_modified_gmt":"2017-03-22T19:28:08",
"discount_total":"0.00","shipping_total":"10.00","total":"29.35","total_tax":"1.35","prices_include_tax":false,"customer_note":"",
"billing":{"first_name":"John","last_name":"Doe","address_1":"969 Market","city":"San Francisco","state":"CA","postcode":"94103","country":"US","email":"john.doe@example.com","phone":"(555) 555-5555"},
"shipping":{"first_name":"John","last_name":"Doe","address_1":"969 Market","city":"San Francisco","state":"CA","postcode":"94103","country":"US"},
"payment_method":"bacs","date_paid":"2017-03-22T16:28:08","date_paid_gmt":"2017-03-22T19:28:08","meta_data":[],
"line_items":[{"id":315,"name":"Woo Single #1","product_id":93,"quantity":2,"subtotal":"6.00","total":"6.00","sku":"","price":3},
{"id":316,"name":"Ship Your Idea &ndash; Color: Black, Size: M Test","product_id":22,"quantity":1,"subtotal":"12.00","total":"12.00","sku":"Bar3","price":12}],
"fee_lines":[],"refunds":[]}`;

describe('platform adapters map the documented payloads', () => {
  it('Shopify sample: exact ids, amounts that add up, shipping address', () => {
    const ev = new ShopifyAdapter().map('orders/create', parseJsonLossless(SHOPIFY_SAMPLE), shop);
    if (ev.kind !== 'order') throw new Error('expected an order');
    const o = ev.order;
    expect(o.platformOrderId).toBe('820982911946154508');
    expect(o.lines.map((l) => l.platformLineId)).toEqual(['866550311766439020', '141249953214522974']);
    expect(o).toMatchObject({ orderNumber: '#9999', currency: 'USD', paymentMethod: 'prepaid', platformStatus: 'voided/pending' });
    expect(o.amounts).toEqual({ items: 39800, discount: 2000, shipping: 1000, tax: 0, other: 0, total: 38800 });
    expect(o.amounts.items - o.amounts.discount + o.amounts.shipping + o.amounts.tax + o.amounts.other).toBe(o.amounts.total);
    expect(o.customer).toEqual({ name: 'Steve Shipper', phone: '555-555-SHIP', email: 'jon@example.com' });
    expect(o.shippingAddress).toMatchObject({ country: 'US', province: 'Kentucky', city: 'Shippington', address: '123 Shipping Street', postcode: '40003' });
    expect(o.facts).toMatchObject({ paid: false, cancelled: false, shipped: false });
    expect(o.updatedAt.toISOString()).toBe('2022-01-01T00:00:00.000Z');
  });

  it('Shopify: COD gateway, paid topic, unhandled topics, malformed amounts', () => {
    const a = new ShopifyAdapter();
    const cod = SHOPIFY_SAMPLE.replace('["visa","bogus"]', '["Cash on Delivery (COD)"]');
    const ev = a.map('orders/paid', parseJsonLossless(cod), shop);
    expect(ev.kind === 'order' && ev.order.paymentMethod).toBe('cod');
    expect(ev.kind === 'order' && ev.order.facts.paid).toBe(true);
    expect(a.map('products/create', {}, shop)).toEqual({ kind: 'unhandled', reason: 'topic products/create is not handled' });
    expect(() => a.map('orders/create', parseJsonLossless(SHOPIFY_SAMPLE.replace('"total_price":"388.00"', '"total_price":"3.8.8"')), shop)).toThrow(PayloadError);
    expect(() => a.map('orders/create', [], shop)).toThrow(PayloadError);
  });

  it('WooCommerce sample: line subtotals, tax, GMT dates, paid', () => {
    const ev = new WooCommerceAdapter().map('order.created', parseJsonLossless(WOO_SAMPLE), shop);
    if (ev.kind !== 'order') throw new Error('expected an order');
    const o = ev.order;
    expect(o.amounts).toEqual({ items: 1800, discount: 0, shipping: 1000, tax: 135, other: 0, total: 2935 });
    expect(o.lines).toEqual([
      { platformLineId: '315', sku: null, title: 'Woo Single #1', quantity: 2, unitPrice: 300, amount: 600 },
      { platformLineId: '316', sku: 'Bar3', title: 'Ship Your Idea – Color: Black, Size: M Test', quantity: 1, unitPrice: 1200, amount: 1200 },
    ]);
    expect(o.placedAt.toISOString()).toBe('2017-03-22T19:28:02.000Z');
    expect(o.facts).toMatchObject({ paid: true, shipped: false, cancelled: false });
    expect(o.customer).toEqual({ name: 'John Doe', phone: '(555) 555-5555', email: 'john.doe@example.com' });
    expect(o.shippingAddress.province).toBe('CA');
  });

  it('Shopify: a line is titled by `name` (title with variant), as in the documented order fixture', () => {
    // line_items of Shopify's documented order 450789469: one product, three variants
    const variant = (id: string, colour: string) =>
      `{"id":${id},"variant_id":39072856,"title":"IPod Nano - 8gb","quantity":1,"sku":"IPOD2008${colour.toUpperCase()}","variant_title":"${colour}","price":"199.00","name":"IPod Nano - 8gb - ${colour}"}`;
    const body = SHOPIFY_SAMPLE.replace(
      /"line_items":\[[^\]]*\]/s,
      `"line_items":[${variant('466157049', 'green')},${variant('518995019', 'red')},${variant('703073504', 'black')}]`,
    );
    const ev = new ShopifyAdapter().map('orders/create', parseJsonLossless(body), shop);
    if (ev.kind !== 'order') throw new Error('expected an order');
    expect(ev.order.lines.map((l) => l.title)).toEqual(['IPod Nano - 8gb - green', 'IPod Nano - 8gb - red', 'IPod Nano - 8gb - black']);
    // without `name` (older API versions), the title and variant_title are joined the same way
    const noName = body.replace(/,"name":"IPod Nano - 8gb - [a-z]+"/g, '');
    const ev2 = new ShopifyAdapter().map('orders/create', parseJsonLossless(noName), shop);
    expect(ev2.kind === 'order' && ev2.order.lines.map((l) => l.title)).toEqual(['IPod Nano - 8gb - green', 'IPod Nano - 8gb - red', 'IPod Nano - 8gb - black']);
  });

  it('WooCommerce: a Chinese customer\'s name family name first; entities decoded in address and note', () => {
    const cn = WOO_SAMPLE.replace(/"shipping":\{[^}]*\}/, '"shipping":{"first_name":"小红","last_name":"王","address_1":"文三路 90 号 &amp; 2 栋","city":"杭州市","state":"CN12","postcode":"310012","country":"CN"}')
      .replace('"customer_note":""', '"customer_note":"请放门口&hellip;谢谢"');
    const ev = new WooCommerceAdapter().map('order.updated', parseJsonLossless(cn), shop);
    if (ev.kind !== 'order') throw new Error('expected an order');
    expect(ev.order.customer.name).toBe('王小红');
    expect(ev.order.shippingAddress).toMatchObject({ address: '文三路 90 号 & 2 栋', city: '杭州市', province: '浙江' });
    expect(ev.order.note).toBe('请放门口…谢谢');
  });

  it('generic: validates the envelope, maps the data', () => {
    const g = new GenericAdapter();
    expect(() => g.envelope(Buffer.from('{"id":"e1","topic":"order.created","occurredAt":"0001-01-01T00:00:00Z","data":{}}'), {})).toThrow('Invalid generic webhook body');
    const env = g.envelope(Buffer.from('{"id":"e1","topic":"order.created","occurredAt":"2025-03-10T10:00:00+08:00","data":{}}'), {});
    expect(env).toMatchObject({ topic: 'order.created', deliveryId: 'e1' });
    const body = {
      id: 'e1', topic: 'order.created', occurredAt: '2025-03-10T10:00:00+08:00',
      data: { orderId: 'P1', amounts: { total: '0.30' }, lines: [{ title: 'x\u0000', quantity: 3, unitPrice: '0.10' }], paymentMethod: 'cod' },
    };
    const ev = g.map('order.created', parseJsonLossless(JSON.stringify(body)), shop);
    expect(ev.kind === 'order' && ev.order).toMatchObject({ paymentMethod: 'cod', amounts: { items: 30, total: 30 }, lines: [{ title: 'x', amount: 30 }] });
    expect(() => g.map('order.created', { data: { ...body.data, paymentMethod: 'card' } }, shop)).toThrow('paymentMethod');
  });
});
