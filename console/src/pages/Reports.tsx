import { useState } from 'react';
import { Button, Card, DatePicker, Descriptions, Empty, Select, Space, Table, Tabs, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, dynamicApi, saveBlob, unwrap, type ApiError } from '../api';
import { ErrorAlert } from '../components/ErrorAlert';
import { Rows, Value } from '../components/Value';
import { humanize } from '../format';
import { asApiError, loadShops, useLoad } from '../hooks';
import { useI18n } from '../i18n';

type Row = Record<string, unknown>;

/** The file name the server chose (Content-Disposition, RFC 6266 filename* first). */
function fileNameOf(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="([^"]+)"/i.exec(cd);
  return plain ? plain[1] : fallback;
}

function Period(props: { range: [Dayjs, Dayjs]; setRange(r: [Dayjs, Dayjs]): void; shopId?: string; setShopId(s?: string): void }) {
  const { t } = useI18n();
  const shops = useLoad(loadShops, []);
  return (
    <Space wrap>
      <DatePicker.RangePicker value={props.range} onChange={(v) => v?.[0] && v[1] && props.setRange([v[0], v[1]])} allowClear={false} />
      <Select
        allowClear
        placeholder={t('allShops')}
        style={{ width: 180 }}
        value={props.shopId}
        onChange={props.setShopId}
        options={(shops.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
      />
    </Space>
  );
}

/** Reconciliation for finance: the CSV (BOM, Excel-ready) as the server streams it, or the rows on screen. */
function Reconciliation() {
  const { t } = useI18n();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf('month'), dayjs().add(1, 'day').startOf('day')]);
  const [shopId, setShopId] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [data, setData] = useState<Row>();
  const query = () => ({ from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), ...(shopId ? { shopId } : {}) });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Period range={range} setRange={setRange} shopId={shopId} setShopId={setShopId} />
        <Button
          onClick={async () => {
            setError(undefined);
            try {
              setData(unwrap(await api.GET('/api/v1/reports/refund-reconciliation', { params: { query: { ...query(), format: 'json' } } })) as unknown as Row);
            } catch (err) {
              setError(asApiError(err));
            }
          }}
        >
          {t('load')}
        </Button>
        <Button
          type="primary"
          data-testid="download-csv"
          onClick={async () => {
            setError(undefined);
            const res = await api.GET('/api/v1/reports/refund-reconciliation', { params: { query: { ...query(), format: 'csv' } }, parseAs: 'blob' });
            if (res.error !== undefined || !res.response.ok) {
              // An error answer is JSON even when CSV was asked for.
              setError(asApiError(await unwrapError(res.response, res.error)));
              return;
            }
            saveBlob(res.data as unknown as Blob, fileNameOf(res.response, 'refund-reconciliation.csv'));
          }}
        >
          {t('downloadCsv')}
        </Button>
      </Space>
      <ErrorAlert error={error} />
      {data && <Blocks data={data} />}
    </Space>
  );
}

async function unwrapError(res: Response, parsed: unknown): Promise<unknown> {
  try {
    unwrap({ error: parsed instanceof Blob ? JSON.parse(await parsed.text()) : parsed ?? {}, response: res });
  } catch (err) {
    return err;
  }
  return new Error(`HTTP ${res.status}`);
}

/** Any report rendered generically: figures as descriptions, arrays of rows as tables. */
function Blocks({ data }: { data: Row }) {
  const ctx = { tz: (data.timezone as string) ?? 'Asia/Shanghai', currency: (data.currency as string) ?? 'CNY' };
  const figures = Object.entries(data).filter(([, v]) => v === null || typeof v !== 'object');
  const blocks = Object.entries(data).filter(([, v]) => v !== null && typeof v === 'object');
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {figures.length > 0 && (
        <Descriptions size="small" bordered column={3}>
          {figures.map(([k, v]) => (
            <Descriptions.Item key={k} label={humanize(k)}>
              <Value name={k} value={v} ctx={ctx} />
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
      {blocks.map(([k, v]) => (
        <Card key={k} size="small" title={humanize(k)}>
          {Array.isArray(v) ? (
            v.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : <Rows rows={v as Row[]} ctx={ctx} />
          ) : (
            <Value name={k} value={v} ctx={ctx} />
          )}
        </Card>
      ))}
    </Space>
  );
}

/** After-sales summary (GET /api/v1/reports/after-sales-summary): every block a table. */
function Summary() {
  const { t } = useI18n();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf('month'), dayjs().add(1, 'day').startOf('day')]);
  const [shopId, setShopId] = useState<string>();
  const report = useLoad<Row>(
    async () =>
      unwrap(
        await dynamicApi.GET('/api/v1/reports/after-sales-summary', {
          params: { query: { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), ...(shopId ? { shopId } : {}) } },
        }),
      ) as Row,
    [range[0].valueOf(), range[1].valueOf(), shopId],
  );
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Period range={range} setRange={setRange} shopId={shopId} setShopId={setShopId} />
      {report.error?.statusCode === 404 ? <Empty description={t('notAvailable')} /> : <ErrorAlert error={report.error} />}
      {report.data && <Blocks data={report.data} />}
    </Space>
  );
}

interface KpiAgent {
  agentId: string;
  agentName: string;
  components: { key: string; title: string; inputs: Row; score: number }[];
  total: number;
  payFactorPercent: number;
}

/** Agent KPIs of a month (GET /api/v1/reports/agent-kpis): score components, total C, pay factor. */
function Kpis() {
  const { t } = useI18n();
  const [month, setMonth] = useState<Dayjs>(dayjs().startOf('month'));
  const report = useLoad<{ month: string; teamRefundRate: number | null; agents: KpiAgent[] }>(
    async () => unwrap(await dynamicApi.GET('/api/v1/reports/agent-kpis', { params: { query: { month: month.format('YYYY-MM') } } })) as never,
    [month.valueOf()],
  );
  const keys = [...new Set((report.data?.agents ?? []).flatMap((a) => a.components.map((c) => c.key)))];
  const titles = Object.fromEntries((report.data?.agents ?? []).flatMap((a) => a.components.map((c) => [c.key, c.title])));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <DatePicker picker="month" value={month} onChange={(v) => v && setMonth(v)} allowClear={false} />
      {report.error?.statusCode === 404 ? <Empty description={t('notAvailable')} /> : <ErrorAlert error={report.error} />}
      {report.data && (
        <>
          <Typography.Text>Team refund rate: {String(report.data.teamRefundRate ?? '—')}</Typography.Text>
          <Table<KpiAgent>
            size="small"
            rowKey="agentId"
            pagination={false}
            dataSource={report.data.agents}
            columns={[
              { title: t('assignee'), dataIndex: 'agentName' },
              ...keys.map((k) => ({
                title: titles[k] ?? k,
                key: k,
                render: (_: unknown, a: KpiAgent) => {
                  const c = a.components.find((x) => x.key === k);
                  return c ? <span title={JSON.stringify(c.inputs)}>{c.score}</span> : '—';
                },
              })),
              { title: 'C', dataIndex: 'total' },
              { title: '%', dataIndex: 'payFactorPercent', render: (v: number) => `${v}%` },
            ]}
          />
        </>
      )}
    </Space>
  );
}

export function ReportsPage() {
  const { t } = useI18n();
  return (
    <Tabs
      items={[
        { key: 'reconciliation', label: t('reconciliation'), children: <Reconciliation /> },
        { key: 'summary', label: t('summary'), children: <Summary /> },
        { key: 'kpis', label: t('kpis'), children: <Kpis /> },
      ]}
    />
  );
}
