import { useState } from 'react';
import { Button, Card, Descriptions, Form, Input, Modal, Select, Space, Table, Tag, Typography, message } from 'antd';
import { useParams } from 'react-router-dom';
import { api, unwrap, type ApiError, type Schemas } from '../api';
import { ErrorAlert } from '../components/ErrorAlert';
import { Value } from '../components/Value';
import { DEFAULT_TZ, formatMoney, formatTime, humanize } from '../format';
import { asApiError, loadShops, useLoad } from '../hooks';
import { useI18n } from '../i18n';

type Order = Schemas['OrderResponseDto'];

/**
 * Orders by order no., phone or tracking no. (the list's `q`) and by the platform's order id
 * (GET /orders/by-platform-id/{id}); a row opens the order on the generic case page, where its
 * shipments, lines, related cases and actions are.
 */
export function OrdersPage({ navigate }: { navigate(to: string): void }) {
  const { t, lang } = useI18n();
  const [q, setQ] = useState('');
  const [registering, setRegistering] = useState(false);
  const shops = useLoad(loadShops, []);
  const orders = useLoad<Order[]>(async () => {
    const list = unwrap(await api.GET('/api/v1/orders', { params: { query: { limit: 50, ...(q ? { q } : {}) } } })).items;
    if (!q) return list;
    const byPlatform = await api.GET('/api/v1/orders/by-platform-id/{platformOrderId}', { params: { path: { platformOrderId: q } } });
    const extra = byPlatform.data as Order | undefined;
    return extra && !list.some((o) => o.id === extra.id) ? [extra, ...list] : list;
  }, [q]);
  const tzOf = (shopId: string) => shops.data?.find((s) => s.id === shopId)?.timezone ?? DEFAULT_TZ;

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('orders')}
        </Typography.Title>
        <Input.Search placeholder={t('searchHint')} allowClear enterButton={t('search')} style={{ width: 420 }} onSearch={(v) => setQ(v.trim())} data-testid="order-search" />
        <Button onClick={() => setRegistering(true)}>{t('registerShipment')}</Button>
      </Space>
      <ErrorAlert error={orders.error} />
      <Table<Order>
        size="small"
        rowKey="id"
        loading={orders.loading}
        dataSource={orders.data ?? []}
        pagination={{ pageSize: 15 }}
        onRow={(o) => ({ onClick: () => navigate(`/cases/orders/${o.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('order'), dataIndex: 'orderNumber', render: (v: string) => <a>{v}</a> },
          { title: 'Platform id', dataIndex: 'platformOrderId' },
          { title: t('shop'), dataIndex: 'shopId', render: (v: string) => shops.data?.find((s) => s.id === v)?.name ?? v.slice(0, 8) },
          { title: t('status'), dataIndex: 'status', render: (v: string) => <Tag>{v}</Tag> },
          { title: 'Customer', render: (_: unknown, o) => <Value name="customer" value={o.customer} ctx={{ tz: tzOf(o.shopId) }} depth={3} /> },
          { title: 'Total', dataIndex: 'totalAmount', render: (v: number, o) => formatMoney(v, o.currency, lang) },
          { title: 'Placed', dataIndex: 'placedAt', render: (v: string, o) => formatTime(v, tzOf(o.shopId)) },
          { title: t('due'), dataIndex: 'dueAt', render: (v: string | null, o) => formatTime(v, tzOf(o.shopId)) },
        ]}
      />
      <RegisterShipment open={registering} onClose={() => setRegistering(false)} shops={shops.data ?? []} navigate={navigate} />
    </Space>
  );
}

/** POST /api/v1/shipments: a parcel sent outside the order flow, tracked from now on. */
function RegisterShipment(props: { open: boolean; onClose(): void; shops: Schemas['ShopResponseDto'][]; navigate(to: string): void }) {
  const { t } = useI18n();
  const [error, setError] = useState<ApiError>();
  const [form] = Form.useForm<Schemas['CreateShipmentDto']>();
  const carriers = useLoad(async () => unwrap(await api.GET('/api/v1/carriers')).items, []);
  return (
    <Modal open={props.open} title={t('registerShipment')} onCancel={props.onClose} onOk={() => form.submit()} okText={t('submit')} cancelText={t('cancel')} destroyOnHidden>
      <ErrorAlert error={error} />
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          setError(undefined);
          try {
            const body = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== '')) as Schemas['CreateShipmentDto'];
            const created = unwrap(await api.POST('/api/v1/shipments', { body }));
            void message.success(t('done'));
            props.onClose();
            props.navigate(`/shipments/${(created as { id: string }).id}`);
          } catch (err) {
            setError(asApiError(err));
          }
        }}
      >
        <Form.Item name="shopId" label={t('shop')} rules={[{ required: true }]}>
          <Select options={props.shops.map((s) => ({ value: s.id, label: s.name }))} />
        </Form.Item>
        <Form.Item name="orderId" label={`${t('order')} (id)`}>
          <Input />
        </Form.Item>
        <Form.Item name="carrier" label={t('carriers')} rules={[{ required: true }]}>
          <Select showSearch options={(carriers.data ?? []).map((c) => ({ value: c.code, label: `${c.chineseName ?? ''} ${c.displayName} (${c.code})` }))} />
        </Form.Item>
        <Form.Item name="trackingNo" label="Tracking no. 运单号" rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Space>
          <Form.Item name="originProvince" label="Origin province">
            <Input />
          </Form.Item>
          <Form.Item name="destProvince" label="Destination province" rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

/** One shipment with its tracking events (GET /api/v1/shipments/{id}). */
export function ShipmentPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const shipment = useLoad(async () => unwrap(await api.GET('/api/v1/shipments/{id}', { params: { path: { id } } })), [id]);
  const shops = useLoad(loadShops, []);
  if (shipment.error) return <ErrorAlert error={shipment.error} />;
  const s = shipment.data;
  if (!s) return null;
  const tz = shops.data?.find((x) => x.id === s.shopId)?.timezone ?? DEFAULT_TZ;
  const { events, ...fields } = s;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Card size="small" title={`${t('shipments')} · ${s.carrier} ${s.trackingNo}`}>
        <Descriptions size="small" bordered column={3}>
          {Object.entries(fields).map(([k, v]) => (
            <Descriptions.Item key={k} label={humanize(k)}>
              <Value name={k} value={v} ctx={{ tz }} />
            </Descriptions.Item>
          ))}
        </Descriptions>
      </Card>
      <Card size="small" title={t('events')}>
        <Table
          size="small"
          rowKey={(e) => `${e.at}-${e.description}`}
          pagination={false}
          dataSource={[...events].sort((a, b) => b.at.localeCompare(a.at))}
          columns={[
            { title: 'At', dataIndex: 'at', render: (v: string) => formatTime(v, tz) },
            { title: t('status'), dataIndex: 'status', render: (v: string | null) => (v ? <Tag>{v}</Tag> : '—') },
            { title: 'Location', dataIndex: 'location' },
            { title: 'Description', dataIndex: 'description' },
            { title: 'Source', dataIndex: 'source' },
          ]}
        />
      </Card>
    </Space>
  );
}
