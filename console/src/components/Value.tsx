import { Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { formatMoney, formatTime, humanize, isInstant, isMoneyKey } from '../format';
import { useI18n } from '../i18n';

export interface ValueContext {
  currency?: string;
  tz: string;
}

/** Ids the API names `<something>Id` link to their case page when the collection is known. */
const LINKED_IDS: Record<string, string> = { orderId: 'orders', reshipOrderId: 'orders', sourceOrderId: 'orders' };

/** One value of a case rendered by its shape: money, instants, booleans, ids, nested objects and rows. */
export function Value({ name, value, ctx, depth = 0 }: { name: string; value: unknown; ctx: ValueContext; depth?: number }) {
  const { lang } = useI18n();
  if (value === null || value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  if (typeof value === 'number' && Number.isInteger(value) && isMoneyKey(name) && ctx.currency) {
    return <span title={`${value} minor units`}>{formatMoney(value, ctx.currency, lang)}</span>;
  }
  if (typeof value === 'boolean') return <Tag color={value ? 'green' : 'default'}>{value ? '✓' : '✗'}</Tag>;
  if (isInstant(value)) return <span title={value}>{formatTime(value, ctx.tz)}</span>;
  if (typeof value === 'string' && LINKED_IDS[name]) return <Link to={`/cases/${LINKED_IDS[name]}/${value}`}>{value.slice(0, 8)}…</Link>;
  if (typeof value !== 'object') return <span>{String(value)}</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <Typography.Text type="secondary">[]</Typography.Text>;
    if (value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) return <Rows rows={value as Record<string, unknown>[]} ctx={ctx} />;
    return <span>{value.map(String).join(', ')}</span>;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (depth > 2) return <code>{JSON.stringify(value)}</code>;
  return (
    <div>
      {entries.map(([k, v]) => (
        <div key={k}>
          <Typography.Text type="secondary">{humanize(k)}: </Typography.Text>
          <Value name={k} value={v} ctx={ctx} depth={depth + 1} />
        </div>
      ))}
    </div>
  );
}

/** An array of flat objects as a table whose columns are the union of their keys. */
export function Rows({ rows, ctx, onRow }: { rows: Record<string, unknown>[]; ctx: ValueContext; onRow?: (row: Record<string, unknown>) => void }) {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <Table
      size="small"
      pagination={rows.length > 10 ? { pageSize: 10 } : false}
      scroll={{ x: 'max-content' }}
      rowKey={(r) => String(r.id ?? JSON.stringify(r))}
      dataSource={rows}
      onRow={onRow ? (r) => ({ onClick: () => onRow(r), style: { cursor: 'pointer' } }) : undefined}
      columns={keys.map((k) => ({
        key: k,
        title: humanize(k),
        dataIndex: k,
        render: (v: unknown, r: Record<string, unknown>) => <Value name={k} value={v} ctx={{ ...ctx, currency: (r.currency as string) ?? ctx.currency }} depth={1} />,
      }))}
    />
  );
}
