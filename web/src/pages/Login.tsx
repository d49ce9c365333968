import { useEffect, useState } from 'react';
import { Alert, Button, Card, Form, Input, Space, Tag, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError, get } from '../lib/api';
import { useAuth } from '../lib/auth';
import { LanguageSwitch } from '../components/LanguageSwitch';
import type { ResponseOf } from '../lib/types';

type SystemInfo = ResponseOf<'/api/v1/system/info'>;

export function LoginPage() {
  const { t } = useTranslation();
  const { login } = useAuth();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ username: string; password: string }>();
  const [error, setError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);
  const [info, setInfo] = useState<SystemInfo>();

  useEffect(() => {
    get<SystemInfo>('/api/v1/system/info')
      .then(setInfo)
      .catch(() => undefined);
  }, []);

  const submit = async (values: { username: string; password: string }) => {
    setSubmitting(true);
    setError(undefined);
    try {
      await login(values.username, values.password);
      navigate('/');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('errors.network'));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        background: 'linear-gradient(135deg, #001529 0%, #1677ff 100%)',
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        justifyContent: 'center',
        padding: 16,
      }}
    >
      <div style={{ position: 'absolute', top: 12, right: 12 }}>
        <span style={{ background: '#fff', borderRadius: 6, display: 'inline-block' }}>
          <LanguageSwitch />
        </span>
      </div>
      <Card style={{ width: '100%', maxWidth: 420 }}>
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <div>
            <Typography.Title level={3} style={{ marginBottom: 4 }}>
              {t('app.name')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
          </div>
          {error && <Alert type="error" showIcon message={error} data-testid="login-error" />}
          <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
            <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('common.required') }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" data-testid="login-username" />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('common.required') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form>
          {info?.demo && info.demoUsers && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('login.demoHint', { password: info.demoPassword })}
              </Typography.Text>
              <div style={{ marginTop: 6 }}>
                {info.demoUsers.map((u) => (
                  <Tag
                    key={u.username}
                    style={{ cursor: 'pointer', marginBottom: 4 }}
                    title={u.displayName}
                    onClick={() => form.setFieldsValue({ username: u.username, password: info.demoPassword })}
                  >
                    {u.username}
                  </Tag>
                ))}
              </div>
            </div>
          )}
        </Space>
      </Card>
    </div>
  );
}
