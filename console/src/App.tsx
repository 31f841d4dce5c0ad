import { useState } from 'react';
import { App as AntApp, Button, ConfigProvider, Layout, Menu, Space, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import 'dayjs/locale/zh-cn';
import dayjs from 'dayjs';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { session } from './api';
import { I18nProvider, useI18n } from './i18n';
import { CasePage } from './pages/CasePage';
import { LoginPage } from './pages/Login';
import { OrdersPage, ShipmentPage } from './pages/Orders';
import { ReportsPage } from './pages/Reports';
import { SettingsPage } from './pages/Settings';
import { WorklistPage } from './pages/Worklist';

function Shell() {
  const { t, lang, setLang } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const [, setTick] = useState(0);
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  if (!session.token()) {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage onLoggedIn={() => { setTick((n) => n + 1); navigate('/'); }} />} />
        <Route path="*" element={<Navigate to="/login" replace />} />
      </Routes>
    );
  }
  const staff = session.staff();
  const selected = '/' + (location.pathname.split('/')[1] ?? '');
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, paddingInline: 16 }}>
        <Typography.Text strong style={{ color: '#fff', whiteSpace: 'nowrap' }}>
          {t('appTitle')}
        </Typography.Text>
        <Menu
          theme="dark"
          mode="horizontal"
          selectedKeys={[selected === '/' ? '/' : selected]}
          style={{ flex: 1, minWidth: 0 }}
          onClick={(e) => navigate(e.key)}
          items={[
            { key: '/', label: t('worklist') },
            { key: '/orders', label: t('orders') },
            { key: '/reports', label: t('reports') },
            { key: '/settings', label: t('settings') },
          ]}
        />
        <Space>
          <Typography.Text style={{ color: '#ddd' }}>{staff ? `${staff.name} · ${staff.role}` : ''}</Typography.Text>
          <Button size="small" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} data-testid="lang-switch">
            {t('language')}
          </Button>
          <Button
            size="small"
            onClick={() => {
              session.clear();
              setTick((n) => n + 1);
              navigate('/login');
            }}
          >
            {t('logout')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 16 }}>
        <Routes>
          <Route path="/" element={<WorklistPage navigate={navigate} />} />
          <Route path="/cases/:collection/:id" element={<CasePage navigate={navigate} />} />
          <Route path="/orders" element={<OrdersPage navigate={navigate} />} />
          <Route path="/shipments/:id" element={<ShipmentPage />} />
          <Route path="/reports" element={<ReportsPage />} />
          <Route path="/settings" element={<SettingsPage />} />
          <Route path="/login" element={<Navigate to="/" replace />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </Layout.Content>
    </Layout>
  );
}

function Themed() {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} componentSize="middle">
      <AntApp>
        <BrowserRouter basename="/console">
          <Shell />
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Themed />
    </I18nProvider>
  );
}
