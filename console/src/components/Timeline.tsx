import { Card, Timeline as AntTimeline, Typography } from 'antd';
import type { Schemas } from '../api';
import { formatTime } from '../format';
import { useI18n } from '../i18n';

type Entry = Schemas['TimelineEntryDto'];

/** The case's timeline (append-only on the server), newest last as it happened. */
export function Timeline({ entries, tz, names = {} }: { entries: Entry[]; tz: string; names?: Record<string, string> }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t('timeline')}>
      <AntTimeline
        items={entries.map((e) => ({
          key: e.id,
          color: e.to && e.from !== e.to ? 'blue' : 'gray',
          content: (
            <div data-testid="timeline-entry">
              <b>{e.action}</b>
              {e.from !== e.to && e.to ? ` ${e.from ?? '∅'} → ${e.to}` : ''}
              <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                {formatTime(e.at, tz)} · {actorName(e.actor, names)}
              </Typography.Text>
              {e.note && <div>{e.note}</div>}
              {Object.keys(e.data ?? {}).length > 0 && (
                <div style={{ fontSize: 12, color: '#666', wordBreak: 'break-all' }}>{JSON.stringify(e.data)}</div>
              )}
            </div>
          ),
        }))}
      />
    </Card>
  );
}

function actorName(actor: Entry['actor'], names: Record<string, string>): string {
  if (actor.id && names[actor.id]) return names[actor.id];
  return actor.id ? `${actor.type} ${actor.id.slice(0, 8)}` : actor.type;
}
