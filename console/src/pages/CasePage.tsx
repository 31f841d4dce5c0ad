import { Alert, Card, Col, Descriptions, Row, Space, Spin, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { dynamicApi, unwrap, type Schemas } from '../api';
import { ActionPanel } from '../components/ActionPanel';
import { ErrorAlert } from '../components/ErrorAlert';
import { Evidence } from '../components/Evidence';
import { Timeline } from '../components/Timeline';
import { Rows, Value } from '../components/Value';
import { DEFAULT_TZ, formatMoney, formatTime, humanize, relativeDue } from '../format';
import { loadMachines, loadShops, loadStaff, useLoad } from '../hooks';
import { useI18n } from '../i18n';

type Row = Record<string, unknown>;

/** Fields shown in their own cards rather than in the generic list. */
const OWN_CARDS = new Set(['timeline', 'allowedActions', 'evidence', 'cost', 'recovered', 'dueAt', 'overdue', 'version']);

/** A row list the case links from: its rows open their own page. */
const ROW_LINKS: Record<string, (r: Row, machines: Schemas['MachineDescriptionDto'][]) => string | undefined> = {
  shipments: (r) => `/shipments/${String(r.id)}`,
  relatedCases: (r, machines) => {
    const m = machines.find((x) => x.name === r.type || x.collection === r.type);
    return m ? `/cases/${m.collection}/${String(r.id)}` : undefined;
  },
};

/**
 * One page for a case of any module (SPEC §14): GET /api/v1/{collection}/{id} rendered from its
 * shape, the deadline with its calendar rule from the machine, money, evidence, timeline, and a
 * generated form per allowed action.
 */
export function CasePage({ navigate }: { navigate(to: string): void }) {
  const { collection = '', id = '' } = useParams();
  const { t, lang } = useI18n();
  const item = useLoad<Row>(async () => unwrap(await dynamicApi.GET(`/api/v1/${collection}/${id}`, {})) as Row, [collection, id]);
  const machines = useLoad(loadMachines, []);
  const shops = useLoad(loadShops, []);
  const staff = useLoad(loadStaff, []);

  if (item.error) return <ErrorAlert error={item.error} />;
  if (!item.data) return <Spin />;
  const c = item.data;
  const machine = machines.data?.find((m) => m.collection === collection);
  const shop = shops.data?.find((s) => s.id === c.shopId);
  const tz = (c.timezone as string) ?? shop?.timezone ?? DEFAULT_TZ;
  const currency = (c.currency as string) ?? shop?.currency;
  const ctx = { tz, currency };
  const names = Object.fromEntries((staff.data ?? []).map((s) => [s.id, s.name]));
  const state = machine?.states.find((s) => s.name === c.status);

  const scalar = Object.entries(c).filter(([k, v]) => !OWN_CARDS.has(k) && !(Array.isArray(v) && v.length > 0 && typeof v[0] === 'object'));
  const lists = Object.entries(c).filter(([k, v]) => !OWN_CARDS.has(k) && Array.isArray(v) && v.length > 0 && typeof v[0] === 'object') as [string, Row[]][];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Space align="center" wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {machine?.description ? `${machine.name}` : collection} · {String(c.orderNumber ?? c.title ?? id.slice(0, 8))}
        </Typography.Title>
        <Tag color="blue" data-testid="case-status">
          {String(c.status ?? '')}
        </Tag>
        {c.overdue === true && <Tag color="red">{t('overdue')}</Tag>}
        {state?.description && <Typography.Text type="secondary">{state.description}</Typography.Text>}
      </Space>
      <Row gutter={12}>
        <Col span={14}>
          <Space orientation="vertical" style={{ width: '100%' }} size="middle">
            <ActionPanel
              collection={collection}
              id={id}
              version={Number(c.version)}
              allowed={(c.allowedActions as string[]) ?? []}
              actions={machine?.actions ?? []}
              onDone={item.reload}
            />
            <Card size="small" title={t('fields')}>
              <Descriptions size="small" column={2} bordered>
                {scalar.map(([k, v]) => (
                  <Descriptions.Item key={k} label={humanize(k)}>
                    {k === 'assigneeId' && typeof v === 'string' && names[v] ? names[v] : <Value name={k} value={v} ctx={ctx} />}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            </Card>
            {lists.map(([k, rows]) => (
              <Card key={k} size="small" title={humanize(k)}>
                <Rows rows={rows} ctx={ctx} onRow={ROW_LINKS[k] ? (r) => { const to = ROW_LINKS[k](r, machines.data ?? []); if (to) navigate(to); } : undefined} />
              </Card>
            ))}
          </Space>
        </Col>
        <Col span={10}>
          <Space orientation="vertical" style={{ width: '100%' }} size="middle">
            <Card size="small" title={t('deadline')}>
              {typeof c.dueAt === 'string' ? (
                <div data-testid="case-due">
                  <Typography.Text strong type={c.overdue ? 'danger' : undefined}>
                    {t('due')} {relativeDue(c.dueAt, tz, lang)}
                  </Typography.Text>
                  <div>
                    <Typography.Text type="secondary">
                      {formatTime(c.dueAt, tz)} ({tz})
                    </Typography.Text>
                  </div>
                </div>
              ) : (
                <Typography.Text type="secondary">{t('noDeadline')}</Typography.Text>
              )}
              {state?.due && <DueRule rule={state.due} label={t('dueRule')} />}
            </Card>
            {(typeof c.cost === 'number' || typeof c.recovered === 'number') && (
              <Card size="small" title={t('money')}>
                <Descriptions size="small" column={2}>
                  <Descriptions.Item label={t('cost')}>{typeof c.cost === 'number' && currency ? formatMoney(c.cost, currency, lang) : '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('recovered')}>{typeof c.recovered === 'number' && currency ? formatMoney(c.recovered, currency, lang) : '—'}</Descriptions.Item>
                </Descriptions>
              </Card>
            )}
            {Array.isArray(c.evidence) && <Evidence collection={collection} id={id} items={c.evidence as Schemas['AttachmentResponseDto'][]} onUploaded={item.reload} />}
            {Array.isArray(c.timeline) && <Timeline entries={c.timeline as Schemas['TimelineEntryDto'][]} tz={tz} names={names} />}
            {c.orderId && collection !== 'orders' ? (
              <Link to={`/cases/orders/${String(c.orderId)}`}>
                {t('order')} →
              </Link>
            ) : null}
          </Space>
        </Col>
      </Row>
      {!machine && machines.data && <Alert type="info" title={`No machine describes /${collection}`} />}
    </Space>
  );
}

/** The calendar rule of the current step, as the machine declares it ("cutoff 16:00", "2 business hours"). */
function DueRule({ rule, label }: { rule: Record<string, unknown>; label: string }) {
  const parts = Object.entries(rule).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return (
    <div style={{ marginTop: 6, fontSize: 12 }} data-testid="due-rule">
      <Typography.Text type="secondary">
        {label}: {parts.join(' · ')}
      </Typography.Text>
    </div>
  );
}
