import { useState } from 'react';
import { Button, Card, Form, Input } from 'antd';
import { api, session, unwrap, type ApiError } from '../api';
import { ErrorAlert } from '../components/ErrorAlert';
import { asApiError } from '../hooks';
import { useI18n } from '../i18n';

/** The API's own bearer-token login (POST /api/v1/auth/login); the token lives in sessionStorage. */
export function LoginPage({ onLoggedIn }: { onLoggedIn(): void }) {
  const { t } = useI18n();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: 80 }}>
      <Card title={t('appTitle')} style={{ width: 380 }}>
        <ErrorAlert error={error} />
        <Form
          layout="vertical"
          onFinish={async (v: { email: string; password: string }) => {
            setBusy(true);
            setError(undefined);
            try {
              session.set(unwrap(await api.POST('/api/v1/auth/login', { body: { email: v.email, password: v.password } })));
              onLoggedIn();
            } catch (err) {
              setError(asApiError(err));
            } finally {
              setBusy(false);
            }
          }}
        >
          <Form.Item name="email" label={t('email')} rules={[{ required: true }]}>
            <Input autoComplete="username" data-testid="login-email" />
          </Form.Item>
          <Form.Item name="password" label={t('password')} rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('login')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
