import { useEffect, useState } from 'react';
import { Button, Card, Image, Select, Space, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { api, dynamicApi, unwrap, type ApiError, type Schemas } from '../api';
import { asApiError } from '../hooks';
import { useI18n } from '../i18n';
import { ErrorAlert } from './ErrorAlert';

type Attachment = Schemas['AttachmentResponseDto'];

const KINDS = ['file', 'outer_package', 'inner_package', 'item', 'waybill', 'chat_transcript'];

/** A photo fetched with the bearer token (an <img src> cannot send it) and shown from a blob URL. */
function Photo({ a }: { a: Attachment }) {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    let made: string | undefined;
    void api.GET('/api/v1/attachments/{id}', { params: { path: { id: a.id } }, parseAs: 'blob' }).then((r) => {
      if (r.data instanceof Blob) {
        made = URL.createObjectURL(r.data);
        setUrl(made);
      }
    });
    return () => {
      if (made) URL.revokeObjectURL(made);
    };
  }, [a.id]);
  if (a.mime === 'application/pdf') return <Typography.Text>{a.originalName ?? a.id} (PDF)</Typography.Text>;
  return (
    <div style={{ textAlign: 'center' }} data-testid="evidence-photo">
      <Image width={112} height={112} style={{ objectFit: 'cover' }} src={url} alt={a.originalName ?? a.id} />
      <div style={{ fontSize: 12 }}>{a.kind ?? a.originalName}</div>
    </div>
  );
}

/** Evidence photos of a case, and an upload straight from the page (multipart to …/{id}/evidence). */
export function Evidence(props: { collection: string; id: string; items: Attachment[]; onUploaded(): void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState('file');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  return (
    <Card size="small" title={`${t('evidence')} (${props.items.length})`}>
      <ErrorAlert error={error} onClose={() => setError(undefined)} />
      <Space wrap style={{ marginBottom: 8 }}>
        {props.items.map((a) => (
          <Photo key={a.id} a={a} />
        ))}
      </Space>
      <Space>
        <Select size="small" value={kind} onChange={setKind} style={{ width: 160 }} options={KINDS.map((k) => ({ value: k, label: k }))} aria-label={t('kind')} />
        <Upload
          multiple
          showUploadList={false}
          accept="image/jpeg,image/png,image/webp,application/pdf"
          customRequest={async (opt) => {
            setBusy(true);
            setError(undefined);
            const body = new FormData();
            body.append(kind, opt.file as Blob);
            try {
              unwrap(await dynamicApi.POST(`/api/v1/${props.collection}/${props.id}/evidence`, { body, bodySerializer: (b: unknown) => b }));
              opt.onSuccess?.({});
              props.onUploaded();
            } catch (err) {
              setError(asApiError(err));
              opt.onError?.(err as Error);
            } finally {
              setBusy(false);
            }
          }}
        >
          <Button icon={<UploadOutlined />} loading={busy} data-testid="evidence-upload">
            {t('upload')}
          </Button>
        </Upload>
      </Space>
    </Card>
  );
}
