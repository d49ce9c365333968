/**
 * A spreadsheet import (XLSX or CSV): pick a file, upload it, and either it is taken whole or it is refused whole
 * with the errors per row (`400 IMPORT_REJECTED`, `details.rows`), listed here and downloadable as a workbook
 * (`?report=xlsx`). The server's import routes (trade documents, prices) all answer this way.
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Space, Table, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../lib/api';
import { useNotifyError } from '../lib/hooks';
import type { ImportRowError } from '../lib/types';
import i18n from '../i18n';

export function ImportCard({
  endpoint,
  title,
  hint,
  done,
  onImported,
  testId = 'import',
}: {
  /** the import route, e.g. `/api/v1/trade-documents/import` */
  endpoint: string;
  title: string;
  hint: string;
  /** the message once a file is taken, from the answer's `imported` count */
  done: (imported: number) => string;
  onImported: () => void;
  /** prefix of the test ids: `${testId}-card`, `-pick`, `-submit`, `-errors`, `-report` */
  testId?: string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<ImportRowError[]>();
  const file = files[0]?.originFileObj;
  const form = () => {
    const data = new FormData();
    if (file) data.append('file', file, file.name);
    return data;
  };
  const upload = () => {
    if (!file) return;
    setBusy(true);
    setErrors(undefined);
    api<{ imported: number }>('POST', endpoint, form())
      .then((r) => {
        void message.success(done(r.imported));
        setFiles([]);
        onImported();
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 'IMPORT_REJECTED') setErrors((err.details.rows as ImportRowError[] | undefined) ?? []);
        else notify(err);
      })
      .finally(() => setBusy(false));
  };
  const report = () =>
    fetch(`${endpoint}?report=xlsx`, {
      method: 'POST',
      body: form(),
      credentials: 'same-origin',
      headers: { 'accept-language': i18n.language === 'en' ? 'en' : 'zh-CN', 'idempotency-key': crypto.randomUUID() },
    })
      .then((r) => r.blob())
      .then((blob) => {
        const url = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = url;
        a.download = 'import-errors.xlsx';
        a.click();
        URL.revokeObjectURL(url);
      })
      .catch(notify);
  const en = i18n.language === 'en';
  return (
    <Card size="small" title={title} data-testid={`${testId}-card`}>
      <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>
      <Space wrap>
        <Upload
          fileList={files}
          maxCount={1}
          accept=".xlsx,.csv"
          beforeUpload={() => false}
          onChange={({ fileList }) => {
            setFiles(fileList.slice(-1));
            setErrors(undefined);
          }}
        >
          <Button icon={<UploadOutlined />} data-testid={`${testId}-pick`}>
            {t('imports.file')}
          </Button>
        </Upload>
        <Button type="primary" disabled={!file} loading={busy} onClick={upload} data-testid={`${testId}-submit`}>
          {t('common.upload')}
        </Button>
      </Space>
      {errors && (
        <div style={{ marginTop: 12 }} data-testid={`${testId}-errors`}>
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 8 }}
            title={t('imports.rejected', { count: errors.length })}
            action={
              <Button size="small" icon={<DownloadOutlined />} onClick={report} data-testid={`${testId}-report`}>
                {t('imports.downloadReport')}
              </Button>
            }
          />
          <Table<ImportRowError>
            size="small"
            rowKey={(r) => `${r.row}-${r.field}-${r.message.en}`}
            pagination={false}
            dataSource={errors}
            columns={[
              { title: t('imports.row'), dataIndex: 'row', width: 70 },
              { title: t('imports.column'), dataIndex: 'field', width: 180 },
              { title: t('imports.message'), key: 'message', render: (_: unknown, r) => (en ? r.message.en : r.message.zh) },
            ]}
          />
        </div>
      )}
    </Card>
  );
}
