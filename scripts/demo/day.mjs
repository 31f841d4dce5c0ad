// One after-sales day of a Shopify shop: the cases the seed's routine works through [002 售后日工作流程].
// The demo runs in real time, so "the day" is a script clock from 09:00 to 18:00 that ends now:
// a script time S happened at now − (18:00 − S). Facts that carry their own time (Shopify's
// created_at, carrier scan times, reportedAt / reviewedAt / attemptedAt) are dated back that way;
// staff actions and finance batches happen now, labelled with the script time they stand for.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { until } from './http.mjs';
import { localTime } from './render.mjs';
import { bigId, kuaidi100Form, shopifyHeaders, shopifyOrder, shopifyRefund, toJson } from './payloads.mjs';

const DAY_END_MIN = 18 * 60;

export function scriptClock(now = Date.now()) {
  /** The real instant of script time hh:mm, `day` days before the script day (1 = yesterday). */
  const at = (hhmm, day = 0) => {
    const [h, m] = hhmm.split(':').map(Number);
    return new Date(now - (DAY_END_MIN + day * 1440 - (h * 60 + m)) * 60_000);
  };
  const label = (hhmm, day = 0) => (day === 0 ? hhmm : day === 1 ? `昨天 ${hhmm}` : `${day} 天前 ${hhmm}`);
  return { at, label };
}

const TZ = 'Asia/Shanghai';
const yuan = (minor) => `¥${(minor / 100).toFixed(2)}`;
/** An instant as the shop reads it (real time, not the script clock): "12-01 16:00". */
const local = (iso) => localTime(iso, TZ) || '-';

const CUSTOMERS = {
  zhang: { first: '三', last: '张', phone: '13800138001', email: 'zhangsan@example.com', province: 'Guangdong', provinceCode: 'GD', city: '深圳市', address1: '南山区科技园南区 8 栋 1201', zip: '518057' },
  li: { first: '小红', last: '李', phone: '13800138002', email: 'lixiaohong@example.com', province: 'Guangdong', provinceCode: 'GD', city: '广州市', address1: '天河区体育西路 103 号', zip: '510620' },
  wang: { first: '伟', last: '王', phone: '13800138003', email: 'wangwei@example.com', province: 'Guangdong', provinceCode: 'GD', city: '佛山市', address1: '禅城区季华五路 22 号', zip: '528000' },
  liu: { first: '洋', last: '刘', phone: '13800138004', email: 'liuyang@example.com', province: 'Guangdong', provinceCode: 'GD', city: '东莞市', address1: '南城区鸿福路 88 号', zip: '523000' },
  chen: { first: '静', last: '陈', phone: '13900139005', email: 'chenjing@example.com', province: 'Zhejiang', provinceCode: 'ZJ', city: '杭州市', address1: '西湖区文三路 90 号', zip: '310012' },
  zhou: { first: '杰', last: '周', phone: '13800138006', email: 'zhoujie@example.com', province: 'Guangdong', provinceCode: 'GD', city: '深圳市', address1: '福田区福华三路 1 号', zip: '518048' },
  sun: { first: '丽', last: '孙', phone: '13900139007', email: 'sunli@example.com', province: 'Zhejiang', provinceCode: 'ZJ', city: '宁波市', address1: '鄞州区天童南路 588 号', zip: '315100' },
};
const OIL = { sku: 'OIL-500', title: '特级初榨橄榄油 500ml 玻璃瓶', price: '89.00' };
const TEA = { sku: 'TEA-250', title: '凤凰单丛茶 250g 罐装', price: '128.00' };
const CUP = { sku: 'CUP-350', title: '不锈钢保温杯 350ml', price: '99.00' };

/**
 * Plays the day. `api` is the HTTP client, `say(time, text)` prints one line per step.
 * Returns what the reports need (period).
 */
export async function playDay({ api, admin, say, fixture }) {
  const { at, label } = scriptClock();
  const run = randomBytes(3).toString('hex'); // staff emails and shop name unique per run (DEMO_URL may be reused)
  const adminToken = (await api.post('/api/v1/auth/login', undefined, admin)).body.accessToken;
  say('08:50', `管理员登录 ${admin.email}`);

  // --- the team and the shop --------------------------------------------------------------------
  const staff = {};
  for (const [key, role, name] of [['agent', 'agent', '李娜 (客服)'], ['supervisor', 'supervisor', '陈刚 (主管)'], ['finance', 'finance', '王芳 (财务)'], ['warehouse', 'warehouse', '赵强 (仓库)']]) {
    const email = `${key}-${run}@demo.example.com`;
    const password = `demo-${key}-${run}-pw`;
    const created = await api.post('/api/v1/staff', adminToken, { email, name, role, password });
    const login = await api.post('/api/v1/auth/login', undefined, { email, password });
    staff[key] = { id: created.body.id, name, token: login.body.accessToken };
  }
  say('08:50', `团队: ${Object.values(staff).map((s) => s.name).join(', ')}`);

  const webhookSecret = `shpss_${randomBytes(16).toString('hex')}`;
  const trackingSalt = `k100_${randomBytes(8).toString('hex')}`;
  const shop = (await api.post('/api/v1/shops', adminToken, {
    name: `演示小店 Shopify ${run}`, platform: 'shopify', webhookSecret, trackingSalt, timezone: TZ, currency: 'CNY',
    shipFrom: { province: '广东省', city: '深圳市', address: '南山区科技园仓库' },
  })).body;
  say('08:50', `开店: ${shop.name} (Shopify, Asia/Shanghai, 深圳发货), webhook /webhooks/shopify/${shop.id}`);

  const coverage = (await api.get('/api/v1/settings/carrier-coverage', adminToken)).body.carriers ?? [];
  const others = coverage.filter((c) => c.carrier.toUpperCase() !== 'SF');
  await api.put('/api/v1/settings/carrier-coverage', adminToken, { carriers: [...others, { carrier: 'SF', provinces: ['广东省', '浙江省', '上海市', '北京市'] }] });
  say('08:50', '顺丰 SF 配送范围: 广东, 浙江, 上海, 北京');

  // --- overnight orders by signed Shopify webhooks -------------------------------------------------
  const orders = {};
  const deliver = async (topic, body) => {
    const raw = toJson(body);
    const res = await api.call('POST', `/webhooks/shopify/${shop.id}`, { raw, headers: shopifyHeaders(raw, topic, webhookSecret) });
    const inbox = res.body.id;
    const d = await until(`webhook ${topic} processed`, async () => {
      const r = (await api.get(`/api/v1/webhook-deliveries/${inbox}`, adminToken)).body;
      return r.status !== 'received' ? r : null;
    });
    if (d.status !== 'processed') throw new Error(`webhook ${topic} ended ${d.status}: ${d.lastError ?? JSON.stringify(d.result)}`);
    return d;
  };
  const order = async (key, spec) => {
    const platformId = bigId();
    const lineIds = spec.lines.map(() => bigId());
    const o = { key, platformId, lineIds, name: spec.name, spec };
    const base = { id: platformId, lineIds, name: spec.name, lines: spec.lines, customer: CUSTOMERS[spec.customer], shipping: spec.shipping ?? '0.00', note: spec.note ?? null };
    if (spec.paidAt) {
      // Shopify sends orders/create (payment pending) and then orders/paid once the payment is captured
      await deliver('orders/create', shopifyOrder({ ...base, createdAt: spec.createdAt, financialStatus: 'pending' }));
      const d = await deliver('orders/paid', shopifyOrder({ ...base, createdAt: spec.createdAt, updatedAt: spec.paidAt, financialStatus: 'paid' }));
      o.id = d.orderId;
    } else {
      o.id = (await deliver('orders/create', shopifyOrder({ ...base, createdAt: spec.createdAt, financialStatus: spec.financialStatus ?? 'paid' }))).orderId;
    }
    o.detail = (await api.get(`/api/v1/orders/${o.id}`, adminToken)).body;
    orders[key] = o;
    return o;
  };
  const showOrder = (o) => `${o.detail.orderNumber} ${o.detail.customer?.name ?? ''} ${yuan(o.detail.totalAmount)} → ${o.detail.status}`;

  const act = async (collection, id, action, token, body = {}) => (await api.post(`/api/v1/${collection}/${id}/${action}`, token, body)).body;
  const push = async (no, state, events, text) => {
    const res = await api.call('POST', `/webhooks/carriers/kuaidi100/${shop.id}`, {
      raw: kuaidi100Form({ com: 'shunfeng', nu: no, state, events, salt: trackingSalt }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    if (res.body.result !== true) throw new Error(`kuaidi100 push for ${no} was not accepted: ${JSON.stringify(res.body)}`);
    const [s] = (await api.get(`/api/v1/shipments?trackingNo=${no}`, adminToken)).body.items;
    return `${text} → 包裹 ${s?.status ?? '?'}`;
  };
  const scan = (t, context, area = '广东,深圳市') => ({ at: at(t), context, area });
  const trackingNo = (prefix) => `${prefix}${String(Date.now()).slice(-11)}`;

  // --- before the day: a parcel that stops moving ----------------------------------------------------
  let o = await order('stalled', { name: '#0998', customer: 'liu', lines: [{ ...TEA, quantity: 2 }], createdAt: at('10:00', 2) });
  say(label('10:00', 2), `Shopify orders/create (已付款): ${showOrder(o)}`);
  // fulfilled in the Shopify admin: orders/fulfilled moves it to shipped (platform-ship, skipped steps on the timeline)
  const stalled = orders.stalled;
  const stalledNo = trackingNo('SF14');
  await deliver('orders/fulfilled', shopifyOrder({
    id: stalled.platformId, lineIds: stalled.lineIds, name: stalled.name, lines: stalled.spec.lines, customer: CUSTOMERS.liu, createdAt: stalled.spec.createdAt,
    updatedAt: at('10:00', 1), financialStatus: 'paid', fulfillments: [{ company: 'SF Express', number: stalledNo, at: at('10:00', 1) }],
  }));
  say(label('10:00', 1), `Shopify orders/fulfilled: #0998 在 Shopify 后台发货, 顺丰 ${stalledNo} → ${(await api.get(`/api/v1/orders/${stalled.id}`, adminToken)).body.status}`);
  say(label('13:00', 1), await push(stalledNo, '0', [
    { at: at('10:30', 1), context: '【深圳市】顺丰速运 已收取快件', area: '广东,深圳市' },
    { at: at('13:00', 1), context: '【深圳市】快件已到达 深圳华南转运中心', area: '广东,深圳市' },
  ], `快递100 推送 ${stalledNo}: 揽收 → 到达深圳华南转运中心 (此后再无更新)`));
  const unreplied = (await api.post('/api/v1/reviews', staff.agent.token, {
    shopId: shop.id, orderId: stalled.id, platformReviewId: `SR-${run}-2`, rating: 2, reviewedAt: at('16:30', 1).toISOString(), content: '物流一直不动，问客服也没人回',
  })).body;
  say(label('16:30', 1), `差评 2 星 #0998 (无人回复, 无人联系) → ${unreplied.status}, 首次联系截止 ${local(unreplied.firstContactDueAt)}`);

  // --- overnight orders by signed Shopify webhooks -------------------------------------------------
  o = await order('oil', { name: '#1001', customer: 'zhang', lines: [{ ...OIL, quantity: 2 }], createdAt: at('20:15', 1), paidAt: at('20:16', 1) });
  say(label('20:16', 1), `Shopify orders/create + orders/paid: ${showOrder(o)}`);
  o = await order('teacup', { name: '#1002', customer: 'li', lines: [{ ...TEA, quantity: 1 }, { ...CUP, quantity: 1 }], createdAt: at('21:40', 1), paidAt: at('21:42', 1) });
  say(label('21:42', 1), `Shopify orders/create + orders/paid: ${showOrder(o)}`);
  o = await order('cup', { name: '#1003', customer: 'wang', lines: [{ ...CUP, quantity: 1 }], createdAt: at('23:05', 1) });
  say(label('23:05', 1), `Shopify orders/create (已付款): ${showOrder(o)}`);
  o = await order('ningbo', { name: '#1004', customer: 'sun', lines: [{ ...OIL, quantity: 3 }], shipping: '12.00', createdAt: at('07:55') });
  say('07:55', `Shopify orders/create (已付款): ${showOrder(o)}`);

  // --- 09:10 the audit, 12:00 finance batch 1, 13:00 shipping ----------------------------------------
  for (const key of ['oil', 'teacup', 'cup']) {
    const r = await act('orders', orders[key].id, 'audit', staff.agent.token, { carrier: 'SF', note: '地址、金额、商品核对无误' });
    say('09:10', `审单 ${orders[key].name}: 商品/金额一致, 顺丰可达 → ${r.status}, 待财务确认 (批次 ${local(r.dueAt)})`);
  }
  const batch1 = (await api.post('/api/v1/orders/confirm-batch', staff.finance.token, { orderIds: ['oil', 'teacup', 'cup'].map((k) => orders[k].id), note: '12:00 批次' })).body;
  if (batch1.failed) throw new Error(`finance batch 12:00: ${batch1.failed} failed: ${JSON.stringify(batch1.results)}`);
  say('12:00', `财务 12:00 批次确认: ${batch1.confirmed} 单 (${['oil', 'teacup', 'cup'].map((k) => orders[k].name).join(', ')})`);
  const parcels = {};
  for (const [i, key] of ['oil', 'teacup', 'cup'].entries()) {
    const no = `SF13${String(Date.now() + i).slice(-11)}`;
    parcels[key] = no;
    const r = await act('orders', orders[key].id, 'ship', staff.warehouse.token, { carrier: 'SF', trackingNo: no });
    say('13:00', `仓库发货 ${orders[key].name} 顺丰 ${no} → ${r.status}`);
  }
  await act('orders', orders.ningbo.id, 'audit', staff.agent.token, { carrier: 'SF' });
  say('14:00', `审单 ${orders.ningbo.name} (宁波, 跨省) → audited`);
  o = await order('late', { name: '#1005', customer: 'chen', lines: [{ ...OIL, quantity: 1 }, { ...TEA, quantity: 1 }], shipping: '12.00', createdAt: at('15:20') });
  say('15:20', `Shopify orders/create (已付款): ${showOrder(o)}`);

  // --- parcels moving ------------------------------------------------------------------------------
  const pickup = (t) => scan(t, '【深圳市】顺丰速运 已收取快件');
  say('15:30', await push(parcels.oil, '3', [pickup('13:20'), scan('14:40', '【深圳市】快件派送中，派件员：小刘 13512345678'), scan('15:30', '【深圳市】已签收，签收人：本人')], `快递100 推送 ${parcels.oil}: 揽收 → 派件 → 签收`));
  say('15:35', await push(parcels.teacup, '3', [pickup('13:25'), scan('15:35', '【广州市】已签收，签收人：前台', '广东,广州市')], `快递100 推送 ${parcels.teacup}: 揽收 → 签收`));
  for (const key of ['oil', 'teacup']) say('15:35', `订单 ${orders[key].name} → ${(await api.get(`/api/v1/orders/${orders[key].id}`, adminToken)).body.status} (物流签收推送触发)`);

  // --- 15:40 a leaking bottle (事务登记 → 照片 → 核实 → 按比例退款) --------------------------------
  let claim = (await api.post('/api/v1/claims', staff.agent.token, {
    orderId: orders.oil.id, type: 'leak_minor', lines: [{ lineNo: 1, quantity: 1 }], reportedAt: at('15:40').toISOString(),
    description: '两瓶橄榄油其中一瓶瓶盖松动，漏了大约三分之一，纸箱都湿了',
  })).body;
  say('15:40', `理赔登记 少量渗漏 ${orders.oil.name} 运单 ${claim.trackingNo ?? '-'} → ${claim.status}, 截止 ${local(claim.dueAt)} [002 当天 16:00 前]`);
  claim = await act('claims', claim.id, 'request-evidence', staff.agent.token, { note: '请顾客拍瓶子和外箱照片' });
  say('15:42', `请顾客提供照片 → ${claim.status} (计时暂停)`);
  say('15:50', await push(parcels.cup, '5', [pickup('13:30'), scan('15:50', '【佛山市】快件派送中', '广东,佛山市')], `快递100 推送 ${parcels.cup}: 揽收 → 派件`));
  const photo = readFileSync(fixture);
  const form = new FormData();
  form.append('item', new Blob([photo], { type: 'image/webp' }), 'leaking-bottle.webp');
  const upload = (await api.call('POST', `/api/v1/claims/${claim.id}/evidence`, { token: staff.agent.token, form, expect: [201] })).body;
  say('15:55', `顾客照片上传 (multipart, ${photo.length} 字节 WebP) → ${upload.claim.status}, ${upload.attachments.length} 张, 疑似重复使用 ${upload.suspectedReuse.length}`);

  // --- 16:00 finance batch 2 ----------------------------------------------------------------------
  const batch2 = (await api.post('/api/v1/orders/confirm-batch', staff.finance.token, { orderIds: [orders.ningbo.id], note: '16:00 批次' })).body;
  if (batch2.failed) throw new Error(`finance batch 16:00 failed: ${JSON.stringify(batch2.results)}`);
  say('16:00', `财务 16:00 批次确认: ${batch2.confirmed} 单 (${orders.ningbo.name})`);
  claim = await act('claims', claim.id, 'verify', staff.agent.token, { note: '照片可见瓶身油渍，属实' });
  claim = await act('claims', claim.id, 'resolve', staff.agent.token, { resolution: 'refund', lossShare: 5000, manual: true, note: '[002] 少量渗漏按比例退款: 一瓶的 50%' });
  say('16:05', `理赔核实属实, 按比例退款 50% → ${claim.status}, 退款 ${yuan(claim.refundAmount ?? 0)} 待财务打款`);

  // --- 16:10 a serious complaint --------------------------------------------------------------------
  let complaint = (await api.post('/api/v1/complaints', staff.agent.token, {
    orderId: orders.teacup.id, complainantName: '李小红', complainantPhone: '138 0013 8002', channel: 'phone', category: 'product_quality', severity: 'serious',
    content: '保温杯倒热水后杯盖弹开，热水溅到手上，要求给个说法，否则投诉到消费者协会', reportedAt: at('16:10').toISOString(),
  })).body;
  say('16:10', `严重投诉 (电话, 商品质量) ${orders.teacup.name} → ${complaint.status}, 首次答复截止 ${local(complaint.dueAt)} [002 12 个工作小时]`);
  const late = await act('orders', orders.late.id, 'audit', staff.agent.token, { carrier: 'SF' });
  say('16:20', `审单 ${orders.late.name} → ${late.status}: 错过 16:00 批次, 等下一批 ${local(late.dueAt)}`);
  complaint = await act('complaints', complaint.id, 'assess', staff.agent.token, { founded: true, explanation: '杯盖密封圈批次问题，情况属实' });
  complaint = await act('complaints', complaint.id, 'assign-department', staff.agent.token, { department: 'product', responsibleStaffId: staff.supervisor.id });
  complaint = await act('complaints', complaint.id, 'propose', staff.agent.token, { plan: '退货退款，另赔偿 ¥100 医药费并致歉', costEstimate: 10000 });
  say('16:25', `投诉判断属实 → 责任部门 产品 → 方案待主管批示 → ${complaint.status}`);

  // --- 16:30 a return with lines (退换货登记) ---------------------------------------------------------
  const ningboNo = trackingNo('SF16');
  await act('orders', orders.ningbo.id, 'ship', staff.warehouse.token, { carrier: 'SF', trackingNo: ningboNo });
  say('16:30', `仓库发货 ${orders.ningbo.name} 顺丰 ${ningboNo} → shipped`);
  let ret = (await api.post('/api/v1/returns', staff.agent.token, {
    orderId: orders.teacup.id, type: 'return_refund', reason: 'quality', reportedAt: at('16:30').toISOString(), requestedAmount: 22700,
    description: '保温杯杯盖有问题，茶叶也一起退',
    lines: [{ orderLineId: 2, quantity: 1, reason: 'quality' }, { orderLineId: 1, quantity: 1, reason: 'changed_mind' }],
  })).body;
  say('16:30', `退货退款登记 ${orders.teacup.name}: ${ret.lines.length} 行 (保温杯 质量问题, 茶叶 不想要了), 申请 ${yuan(ret.requestedAmount)} → ${ret.status}`);
  ret = await act('returns', ret.id, 'approve', staff.agent.token, {});
  say('16:32', `同意退货 → ${ret.status}, 顾客同城顺丰寄回`);

  // --- 16:45 a bad review recovered (中差评处理) ------------------------------------------------------
  say('16:45', await push(parcels.cup, '3', [pickup('13:30'), scan('15:50', '【佛山市】快件派送中', '广东,佛山市'), scan('16:45', '【佛山市】已签收，签收人：本人', '广东,佛山市')], `快递100 推送 ${parcels.cup}: 签收`));
  let review = (await api.post('/api/v1/reviews', staff.agent.token, {
    shopId: shop.id, orderId: orders.cup.id, platformReviewId: `SR-${run}-1`, rating: 1, reviewedAt: at('16:50').toISOString(),
    content: '下单前问了三次客服才有人回，差评',
  })).body;
  say('16:50', `差评 1 星 ${orders.cup.name} (Shopify 没有评价 webhook, 客服登记) → ${review.status}, 首次联系截止 ${local(review.firstContactDueAt)}`);

  // --- 17:00 the stale-parcel scan and the outlet call -------------------------------------------
  const scanned = (await api.post('/api/v1/logistics/scan', staff.agent.token, {})).body;
  const exception = scanned.opened.find((e) => e.orderId === stalled.id);
  if (!exception) throw new Error(`the scan opened no exception for ${stalledNo}: ${JSON.stringify(scanned)}`);
  say('17:00', `物流停滞扫描 [002 同省隔天未更新]: 新开 ${scanned.count} 个异常 (${stalledNo} ${exception.kind}, 静默自 ${local(exception.silentSince)})`);
  const urged = await act('logistics-exceptions', exception.id, 'urge', staff.agent.token, {
    outletCall: '致电顺丰东莞南城网点, 答复中转漏扫, 明天优先派送', backOfficeMessage: '顺丰后台留言: 请加急派送 #0998', customerReply: '已告知顾客明天送达',
  });
  say('17:05', `催件: 联系网点 + 后台留言 + 回复顾客 → ${urged.status}, 24 小时内无结果自动升级补发`);
  review = await act('reviews', review.id, 'reply', staff.agent.token, { text: '非常抱歉让您久等了，我们已经调整客服排班，稍后电话联系您。' });
  review = await act('reviews', review.id, 'log-contact', staff.agent.token, { outcome: 'reached', channel: 'phone', attemptedAt: at('17:05').toISOString() });
  review = await act('reviews', review.id, 'diagnose', staff.agent.token, { rootCause: 'service', serviceCaused: true, diagnosis: '售前咨询高峰无人值守', responsibleStaffId: staff.agent.id });
  review = await act('reviews', review.id, 'offer-remedy', staff.agent.token, { type: 'gift', amount: 800, description: '下次订单赠送茶包一盒 (成本 ¥8.00, 不超过订单额 10%)' });
  review = await act('reviews', review.id, 'accept', staff.agent.token, {});
  say('17:08', `差评: 公开回复, 电话联系上, 诊断为服务原因, 赠品补偿 ¥8.00 顾客接受 → ${review.status}`);
  const neutral = (await api.post('/api/v1/reviews', staff.agent.token, {
    shopId: shop.id, orderId: orders.oil.id, platformReviewId: `SR-${run}-3`, rating: 3, reviewedAt: at('17:10').toISOString(), content: '橄榄油不错，但是包装太简陋',
  })).body;
  say('17:10', `中评 3 星 ${orders.oil.name} → ${neutral.status}, 待联系`);
  review = await act('reviews', review.id, 'revise', staff.agent.token, { rating: 5, content: '客服主动打电话道歉，杯子质量也不错' });
  say('17:20', `顾客改评 ${review.ratingBefore} 星 → ${review.ratingAfter} 星 → ${review.status} (${review.outcome})`);

  // --- 17:30 the returned parcel, the refund and the platform's side -----------------------------------
  say('17:30', await push(ningboNo, '0', [pickup('16:40'), scan('17:30', '【深圳市】快件已发往 杭州中转场')], `快递100 推送 ${ningboNo}: 揽收 → 发往杭州中转场`));
  ret = await act('returns', ret.id, 'receive', staff.warehouse.token, {
    returnTrackingNo: trackingNo('SF17'), returnCarrier: '顺丰',
    lines: [{ orderLineId: 1, restock: 1 }, { orderLineId: 2, damaged: 1 }],
  });
  say('17:30', `仓库收到退货: 茶叶 1 罐可二次销售, 保温杯 1 个报损 → ${ret.status}`);
  ret = await act('returns', ret.id, 'inspect', staff.warehouse.token, { result: 'pass', inspectionNote: '杯盖密封圈变形，与投诉一致' });
  ret = await act('returns', ret.id, 'refund', staff.agent.token, { manual: true });
  const [retRefund] = (await api.get(`/api/v1/refunds?sourceId=${ret.id}`, adminToken)).body.items;
  say('17:35', `验货通过, 发起退款 ${yuan(retRefund.amount)} (${retRefund.method}) → 退货 ${ret.status}`);
  const paid = await act('refunds', retRefund.id, 'record-manual', staff.finance.token, { externalReference: `SHOPIFY-ADMIN-${run}` });
  ret = (await api.get(`/api/v1/returns/${ret.id}`, adminToken)).body;
  say('17:40', `财务在 Shopify 后台退款并登记 → 退款 ${paid.status}, 退货 ${ret.status}`);
  await deliver('refunds/create', shopifyRefund({ id: bigId(), orderId: orders.teacup.platformId, amount: (retRefund.amount / 100).toFixed(2), note: '退货退款', at: at('17:40') }));
  say('17:41', `Shopify refunds/create ${yuan(retRefund.amount)} ${orders.teacup.name} → 平台退款已记录, 与系统退款配对`);
  const unpaid = await order('unpaid', { name: '#1006', customer: 'zhou', lines: [{ ...CUP, quantity: 2 }], createdAt: at('17:42'), financialStatus: 'pending' });
  say('17:42', `Shopify orders/create (待付款): ${showOrder(unpaid)}, 20 分钟未付款生成跟进任务 (${local(unpaid.detail.dueAt)})`);
  await deliver('refunds/create', shopifyRefund({ id: bigId(), orderId: orders.cup.platformId, amount: '10.00', note: '运费补偿 (店长在 Shopify 后台直接操作)', at: at('17:45') }));
  say('17:45', `Shopify refunds/create ¥10.00 ${orders.cup.name}: 店长在平台直接退运费, 系统内无对应退款 (对账会列出)`);

  // --- 17:50 follow-up calls (回访) -----------------------------------------------------------------
  const followUps = (await api.get(`/api/v1/follow-ups?shopId=${shop.id}&status=open`, adminToken)).body.items;
  if (!followUps.length) throw new Error('no follow-up call was created for the resolved cases');
  say('17:50', `待回访 ${followUps.length} 个: ${followUps.map((f) => `${f.source?.module} (截止 ${local(f.dueAt)})`).join(', ')}`);
  const bySource = (m) => followUps.find((f) => f.source?.module === m);
  if (bySource('review')) {
    const r = await act('follow-ups', bySource('review').id, 'record', staff.agent.token, { result: 'satisfied', comment: '顾客说收到赠品会再来买' });
    say('17:52', `回访 差评顾客 → ${r.status} (${r.result})`);
  }
  if (bySource('return')) {
    const r = await act('follow-ups', bySource('return').id, 'reschedule', staff.agent.token, { at: new Date(Date.now() + 24 * 3600_000).toISOString(), note: '顾客在开会, 约明天再打' });
    say('17:55', `回访 退货顾客: 在开会, 改约 ${local(r.dueAt)}`);
  }

  const day = (d) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(d);
  return { adminToken, shop, today: day(new Date()), from: day(at('00:00', 2)), to: day(new Date(Date.now() + 86_400_000)) };
}
