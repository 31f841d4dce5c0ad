import { Alert } from 'antd';
import type { ApiError } from '../api';

/** An API error shown as the API words it (SPEC §4, §14): message, then details field by field. */
export function ErrorAlert({ error, onClose }: { error: ApiError | undefined; onClose?: () => void }) {
  if (!error) return null;
  const details = error.details;
  let body: React.ReactNode = null;
  if (Array.isArray(details)) {
    body = (
      <ul style={{ margin: 0, paddingLeft: 18 }}>
        {details.map((d, i) => (
          <li key={i}>
            <b>{d.field}</b>: {d.errors.join('; ')}
          </li>
        ))}
      </ul>
    );
  } else if (details && Object.keys(details).length > 0) {
    body = <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(details, null, 2)}</pre>;
  }
  return (
    <Alert
      type="error"
      showIcon
      closable={onClose ? { onClose } : undefined}
      data-testid="api-error"
      title={`${error.statusCode || ''} ${error.error}: ${error.message}`.trim()}
      description={body}
      style={{ marginBottom: 12 }}
    />
  );
}
