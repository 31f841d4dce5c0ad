import { useState } from 'react';
import { Badge, Button, Card, Collapse, DatePicker, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { dynamicApi, unwrap, type ApiError } from '../api';
import { ErrorAlert } from '../components/ErrorAlert';
import { formatTime } from '../format';
import { loadShops, loadStaff, useLoad } from '../hooks';
import { useI18n } from '../i18n';

/** GET /api/v1/worklist, as decided in the shared contract (SPEC §11). */
export interface WorklistItem {
  module: string;
  collection: string;
  id: string;
  shopId: string;
  orderId: string | null;
  orderNo: string | null;
  status: string;
  assigneeId: string | null;
  openedAt: string;
  dueAt: string | null;
  overdue: boolean;
  title: string;
}
export interface WorklistSection {
  key: string;
  step: number;
  title: string;
  titleEn: string;
  count: number;
  nextBatchAt: string | null;
  items: WorklistItem[];
}
export interface Worklist {
  date: string;
  timezone: string;
  generatedAt: string;
  sections: WorklistSection[];
}

/** The day's routine [002] section by section, oldest first, overdue in red; a row opens its case. */
export function WorklistPage({ navigate }: { navigate(to: string): void }) {
  const { t, lang } = useI18n();
  const [date, setDate] = useState<Dayjs | null>(null);
  const [shopId, setShopId] = useState<string>();
  const [assigneeId, setAssigneeId] = useState<string>();
  const shops = useLoad(loadShops, []);
  const staff = useLoad(loadStaff, []);
  const list = useLoad<Worklist>(
    async () =>
      unwrap(
        await dynamicApi.GET('/api/v1/worklist', {
          params: { query: { ...(date ? { date: date.format('YYYY-MM-DD') } : {}), ...(shopId ? { shopId } : {}), ...(assigneeId ? { assigneeId } : {}) } },
        }),
      ) as Worklist,
    [date?.valueOf(), shopId, assigneeId],
  );
  const names = Object.fromEntries((staff.data ?? []).map((s) => [s.id, s.name]));
  const tz = list.data?.timezone ?? 'Asia/Shanghai';

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('worklist')} {list.data ? `· ${list.data.date} (${list.data.timezone})` : ''}
        </Typography.Title>
        <DatePicker value={date} onChange={setDate} placeholder={t('date')} allowClear />
        <Select
          allowClear
          placeholder={t('allShops')}
          style={{ width: 180 }}
          value={shopId}
          onChange={setShopId}
          options={(shops.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          data-testid="filter-shop"
        />
        <Select
          allowClear
          placeholder={t('anyone')}
          style={{ width: 180 }}
          value={assigneeId}
          onChange={setAssigneeId}
          options={(staff.data ?? []).map((s) => ({ value: s.id, label: `${s.name} (${s.role})` }))}
          data-testid="filter-assignee"
        />
        <Button onClick={list.reload}>{t('refresh')}</Button>
      </Space>
      {list.error && <WorklistError error={list.error} />}
      {list.data && (
        <Collapse
          defaultActiveKey={list.data.sections.filter((s) => s.count > 0).map((s) => s.key)}
          items={list.data.sections.map((s) => ({
            key: s.key,
            label: (
              <Space data-testid={`section-${s.key}`}>
                <span>
                  {s.step}. {lang === 'zh' ? s.title : s.titleEn}
                </span>
                <Badge count={s.count} showZero color={s.count === 0 ? '#bbb' : s.items.some((i) => i.overdue) ? 'red' : 'blue'} />
                {s.nextBatchAt && (
                  <Typography.Text type="secondary">
                    {t('nextBatch')}: {formatTime(s.nextBatchAt, tz)}
                  </Typography.Text>
                )}
              </Space>
            ),
            children:
              s.items.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('empty')} />
              ) : (
                <Table<WorklistItem>
                  size="small"
                  rowKey={(i) => `${i.collection}/${i.id}`}
                  pagination={false}
                  dataSource={[...s.items].sort((a, b) => a.openedAt.localeCompare(b.openedAt))}
                  onRow={(i) => ({ onClick: () => navigate(`/cases/${i.collection}/${i.id}`), style: { cursor: 'pointer' } })}
                  rowClassName={(i) => (i.overdue ? 'row-overdue' : '')}
                  columns={[
                    { title: t('title'), dataIndex: 'title', render: (v: string, i) => <a data-testid="worklist-item" data-id={i.id}>{v}</a> },
                    { title: t('module'), dataIndex: 'module', width: 130, render: (v: string) => <Tag>{v}</Tag> },
                    { title: t('status'), dataIndex: 'status', width: 140 },
                    { title: t('order'), dataIndex: 'orderNo', width: 110, render: (v: string | null) => v ?? '—' },
                    { title: t('assignee'), dataIndex: 'assigneeId', width: 120, render: (v: string | null) => (v ? (names[v] ?? v.slice(0, 8)) : '—') },
                    { title: t('opened'), dataIndex: 'openedAt', width: 140, render: (v: string) => formatTime(v, tz) },
                    {
                      title: t('due'),
                      dataIndex: 'dueAt',
                      width: 160,
                      render: (v: string | null, i) => (
                        <Typography.Text type={i.overdue ? 'danger' : undefined} strong={i.overdue}>
                          {formatTime(v, tz)} {i.overdue ? `· ${t('overdue')}` : ''}
                        </Typography.Text>
                      ),
                    },
                  ]}
                />
              ),
          }))}
        />
      )}
    </Space>
  );
}

function WorklistError({ error }: { error: ApiError }) {
  const { t } = useI18n();
  if (error.statusCode === 404) return <Empty description={t('noWorklist')} data-testid="worklist-unavailable" />;
  return <ErrorAlert error={error} />;
}
