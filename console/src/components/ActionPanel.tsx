import { useRef, useState } from 'react';
import { Button, Card, Modal, Space, Typography, message } from 'antd';
import Form from '@rjsf/antd';
import validator from '@rjsf/validator-ajv8';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { dynamicApi, unwrap, type ApiError, type Schemas } from '../api';
import { asApiError } from '../hooks';
import { useI18n } from '../i18n';
import { ErrorAlert } from './ErrorAlert';

type Action = Schemas['ActionDescriptionDto'];

/** The form of an action: its input schema without expectedVersion, which the page sends itself. */
function formSchema(action: Action): { schema: RJSFSchema; ui: UiSchema } {
  const input = (action.inputSchema ?? { type: 'object', properties: {} }) as RJSFSchema;
  const properties = { ...(input.properties ?? {}) };
  delete properties.expectedVersion;
  const required = (input.required ?? []).filter((r) => r !== 'expectedVersion');
  const ui: UiSchema = { 'ui:submitButtonOptions': { norender: true } };
  for (const [key, prop] of Object.entries(properties)) {
    // Free text the API stores (notes, reasons) gets room to write.
    if (typeof prop === 'object' && prop.type === 'string' && !prop.enum && !prop.format && /note|reason|description|text|comment/i.test(key)) {
      ui[key] = { 'ui:widget': 'textarea' };
    }
  }
  return { schema: { ...input, properties, required, title: undefined, description: undefined }, ui };
}

/**
 * One button per entry of the case's allowedActions (SPEC §14); each opens a form generated from
 * the action's input schema served with the machines, so a new machine needs no new page. The
 * body goes to POST /api/v1/{collection}/{id}/{action} with the case's version.
 */
export function ActionPanel(props: { collection: string; id: string; version: number; allowed: string[]; actions: Action[]; onDone(): void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<Action | null>(null);
  const [formData, setFormData] = useState<Record<string, unknown>>({});
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const formRef = useRef<{ submit(): void } | null>(null);
  const byName = new Map(props.actions.map((a) => [a.name, a]));

  const submit = async (filled: Record<string, unknown>) => {
    if (!open) return;
    // The form shows the schema's defaults; the API applies them itself, and some only fit one
    // variant of the body (e.g. resolve's manual: false, refunds only): send what the user chose.
    const props0 = ((open.inputSchema as RJSFSchema | null)?.properties ?? {}) as Record<string, RJSFSchema>;
    const data = Object.fromEntries(
      Object.entries(filled).filter(([k, v]) => v !== undefined && !(props0[k]?.default !== undefined && JSON.stringify(props0[k].default) === JSON.stringify(v))),
    );
    setBusy(true);
    setError(undefined);
    try {
      unwrap(
        await dynamicApi.POST(`/api/v1/${props.collection}/${props.id}/${open.name}`, {
          body: { ...data, expectedVersion: props.version },
        }),
      );
      void message.success(`${open.name}: ${t('done')}`);
      setOpen(null);
      props.onDone();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const current = open ? formSchema(open) : undefined;
  return (
    <Card size="small" title={t('actions')}>
      {props.allowed.length === 0 && <Typography.Text type="secondary">{t('noActions')}</Typography.Text>}
      <Space wrap>
        {props.allowed.map((name) => (
          <Button
            key={name}
            data-action={name}
            type={byName.get(name)?.keepsStatus ? 'default' : 'primary'}
            title={byName.get(name)?.description}
            onClick={() => {
              setFormData({});
              setError(undefined);
              setOpen(byName.get(name) ?? ({ name, description: '', inputSchema: null } as unknown as Action));
            }}
          >
            {name}
          </Button>
        ))}
      </Space>
      <Modal
        open={open !== null}
        title={open?.name}
        onCancel={() => setOpen(null)}
        okText={t('submit')}
        cancelText={t('cancel')}
        confirmLoading={busy}
        onOk={() => formRef.current?.submit()}
        destroyOnHidden
        width={640}
      >
        {open?.description && <Typography.Paragraph type="secondary">{open.description}</Typography.Paragraph>}
        <ErrorAlert error={error} />
        {current && (
          <Form
            id="action-form"
            ref={formRef as never}
            schema={current.schema}
            uiSchema={current.ui}
            formData={formData}
            validator={validator}
            onChange={(e) => setFormData((e.formData ?? {}) as Record<string, unknown>)}
            onSubmit={(e) => void submit((e.formData ?? {}) as Record<string, unknown>)}
            showErrorList={false}
          />
        )}
      </Modal>
    </Card>
  );
}
