import { useState } from 'react';
import { Button, Card, Descriptions, Form as AntForm, Input, Modal, Popconfirm, Select, Space, Table, Tabs, Tag, Typography, message } from 'antd';
import Form from '@rjsf/antd';
import validator from '@rjsf/validator-ajv8';
import type { RJSFSchema } from '@rjsf/utils';
import { api, dynamicApi, unwrap, type ApiError, type Schemas } from '../api';
import { ErrorAlert } from '../components/ErrorAlert';
import { Rows, Value } from '../components/Value';
import { DEFAULT_TZ, humanize } from '../format';
import { asApiError, useLoad } from '../hooks';
import { useI18n } from '../i18n';

type Section = Schemas['SettingsSectionDto'];
type OpenApiDoc = { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: RJSFSchema }> } }>>; components?: unknown };

let docPromise: Promise<OpenApiDoc | null> | undefined;
/** The public OpenAPI document (/docs-json): where each settings route's body schema is described. */
const loadDoc = () => (docPromise ??= fetch('/docs-json').then((r) => (r.ok ? (r.json() as Promise<OpenApiDoc>) : null), () => null));

/**
 * The form of a settings section: the PATCH body schema of its route in the OpenAPI document,
 * its $refs resolved against the document's components by the form library itself. A section
 * whose route has no described body is edited as JSON.
 */
function schemaOf(doc: OpenApiDoc | null | undefined, section: Section): RJSFSchema | null {
  const op = doc?.paths[section.route]?.patch ?? doc?.paths['/api/v1/settings/{section}']?.patch;
  const body = op?.requestBody?.content?.['application/json']?.schema;
  if (!body || (body.type === 'object' && !body.properties && !body.$ref)) return null;
  return { ...body, components: doc?.components } as RJSFSchema;
}

function SectionEditor({ section, onSaved, onClose }: { section: Section; onSaved(): void; onClose(): void }) {
  const { t } = useI18n();
  const doc = useLoad(loadDoc, []);
  const [error, setError] = useState<ApiError>();
  const [json, setJson] = useState(JSON.stringify(section.value, null, 2));
  const schema = doc.data !== undefined ? schemaOf(doc.data, section) : undefined;
  const save = async (body: unknown) => {
    setError(undefined);
    try {
      unwrap(await dynamicApi.PATCH(section.route === `/api/v1/settings/${section.section}` ? '/api/v1/settings/{section}' : section.route, {
        params: { path: { section: section.section } },
        body,
      }));
      void message.success(t('done'));
      onSaved();
      onClose();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <Modal open title={`${t('edit')}: ${section.section}`} onCancel={onClose} footer={schema ? null : undefined} width={720} okText={t('save')} cancelText={t('cancel')}
      onOk={() => {
        try {
          void save(JSON.parse(json));
        } catch (e) {
          setError({ statusCode: 0, error: 'JSON', message: (e as Error).message } as ApiError);
        }
      }}
    >
      <Typography.Paragraph type="secondary">{section.description}</Typography.Paragraph>
      <ErrorAlert error={error} />
      {schema ? (
        <Form schema={schema} formData={section.value} validator={validator} onSubmit={(e) => void save(e.formData)} showErrorList={false} />
      ) : (
        <Input.TextArea rows={14} value={json} onChange={(e) => setJson(e.target.value)} style={{ fontFamily: 'monospace' }} />
      )}
    </Modal>
  );
}

/** Every settings section the server registers (GET /api/v1/settings), each edited over its own route. */
function Sections({ only }: { only?: (s: Section) => boolean }) {
  const { t } = useI18n();
  const list = useLoad(async () => unwrap(await api.GET('/api/v1/settings')).sections, []);
  const [editing, setEditing] = useState<Section | null>(null);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <ErrorAlert error={list.error} />
      {(list.data ?? []).filter(only ?? (() => true)).map((s) => (
        <Card
          key={s.section}
          size="small"
          title={
            <Space>
              <b>{s.section}</b>
              <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                {s.description}
              </Typography.Text>
            </Space>
          }
          extra={
            <Space>
              <Typography.Text type="secondary">
                {t('writableBy')}: {s.writableBy.join(', ')}
              </Typography.Text>
              <Button size="small" onClick={() => setEditing(s)}>
                {t('edit')}
              </Button>
            </Space>
          }
        >
          <Descriptions size="small" column={2} bordered>
            {Object.entries(s.value).map(([k, v]) => (
              <Descriptions.Item key={k} label={humanize(k)}>
                <Value name={k} value={v} ctx={{ tz: DEFAULT_TZ }} />
              </Descriptions.Item>
            ))}
          </Descriptions>
        </Card>
      ))}
      {editing && <SectionEditor section={editing} onSaved={list.reload} onClose={() => setEditing(null)} />}
    </Space>
  );
}

/** The business calendar: its settings section and the special days (holidays, 调休 make-up days). */
function Calendar() {
  const { t } = useI18n();
  const [year, setYear] = useState(new Date().getFullYear());
  const days = useLoad(async () => unwrap(await api.GET('/api/v1/calendar/days', { params: { query: { year } } })), [year]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Sections only={(s) => s.section === 'calendar'} />
      <Card
        size="small"
        title={t('calendarDays')}
        extra={<Select value={year} onChange={setYear} options={[year - 1, year, year + 1].map((y) => ({ value: y, label: y }))} />}
      >
        <ErrorAlert error={days.error} />
        {days.data && <Rows rows={days.data.days as unknown as Record<string, unknown>[]} ctx={{ tz: DEFAULT_TZ }} />}
      </Card>
    </Space>
  );
}

function Carriers() {
  const carriers = useLoad(async () => unwrap(await api.GET('/api/v1/carriers')).items, []);
  return (
    <>
      <ErrorAlert error={carriers.error} />
      <Table
        size="small"
        rowKey="code"
        dataSource={carriers.data ?? []}
        pagination={{ pageSize: 12 }}
        columns={[
          { title: 'Code', dataIndex: 'code' },
          { title: '名称', dataIndex: 'chineseName' },
          { title: 'Name', dataIndex: 'displayName' },
          { title: 'Short', dataIndex: 'shortCode' },
          { title: 'Aliases', render: (_: unknown, c: Schemas['CarrierResponseDto']) => [...c.aliases, ...c.merchantAliases].join(', ') },
          { title: 'Shipped', dataIndex: 'shipped', render: (v: boolean) => (v ? <Tag color="green">✓</Tag> : '') },
        ]}
      />
    </>
  );
}

/** Outbound event endpoints (admin): list, add (the secret is shown once), switch off. */
function Webhooks() {
  const { t } = useI18n();
  const list = useLoad(async () => unwrap(await api.GET('/api/v1/webhook-endpoints', { params: { query: { limit: 100 } } as never })), []);
  const [error, setError] = useState<ApiError>();
  const [secret, setSecret] = useState<string>();
  const items = ((list.data as unknown as { items?: Schemas['WebhookEndpointResponseDto'][] })?.items ?? (list.data as unknown as Schemas['WebhookEndpointResponseDto'][])) ?? [];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <ErrorAlert error={list.error ?? error} />
      {secret && <Typography.Paragraph copyable={{ text: secret }}>Secret (shown once): <code>{secret}</code></Typography.Paragraph>}
      <AntForm
        layout="inline"
        onFinish={async (v: { url: string; events?: string[] }) => {
          setError(undefined);
          try {
            const created = unwrap(await api.POST('/api/v1/webhook-endpoints', { body: { url: v.url, ...(v.events?.length ? { events: v.events as never } : {}) } }));
            setSecret((created as { secret?: string }).secret);
            list.reload();
          } catch (err) {
            setError(asApiError(err));
          }
        }}
      >
        <AntForm.Item name="url" rules={[{ required: true }]}>
          <Input placeholder="https://erp.example.cn/hooks" style={{ width: 320 }} />
        </AntForm.Item>
        <AntForm.Item name="events">
          <Select
            mode="multiple"
            placeholder="events (all)"
            style={{ width: 320 }}
            options={['case.created', 'case.status_changed', 'case.overdue', 'refund.succeeded', 'refund.failed', 'complaint.serious', 'inventory.corrected'].map((e) => ({ value: e, label: e }))}
          />
        </AntForm.Item>
        <Button htmlType="submit" type="primary">
          {t('add')}
        </Button>
      </AntForm>
      <Table
        size="small"
        rowKey="id"
        dataSource={items}
        pagination={false}
        columns={[
          { title: 'URL', dataIndex: 'url' },
          { title: 'Events', dataIndex: 'events', render: (v: string[]) => (v.length ? v.join(', ') : 'all') },
          { title: 'Active', dataIndex: 'active', render: (v: boolean) => <Tag color={v ? 'green' : 'red'}>{String(v)}</Tag> },
          { title: 'Failures', dataIndex: 'consecutiveFailures' },
          { title: 'Last failure', dataIndex: 'lastFailureReason' },
          {
            title: '',
            render: (_: unknown, e: Schemas['WebhookEndpointResponseDto']) => (
              <Popconfirm
                title={e.active ? 'Switch off?' : 'Switch on?'}
                onConfirm={async () => {
                  try {
                    unwrap(await api.PATCH('/api/v1/webhook-endpoints/{id}', { params: { path: { id: e.id } }, body: { active: !e.active } as never }));
                    list.reload();
                  } catch (err) {
                    setError(asApiError(err));
                  }
                }}
              >
                <Button size="small">{e.active ? 'off' : 'on'}</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </Space>
  );
}

export function SettingsPage() {
  const { t } = useI18n();
  return (
    <Tabs
      items={[
        { key: 'calendar', label: t('calendar'), children: <Calendar /> },
        { key: 'sections', label: t('sections'), children: <Sections only={(s) => s.section !== 'calendar'} /> },
        { key: 'carriers', label: t('carriers'), children: <Carriers /> },
        { key: 'webhooks', label: t('webhooks'), children: <Webhooks /> },
      ]}
    />
  );
}
