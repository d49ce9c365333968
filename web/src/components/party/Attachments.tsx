import { useState } from 'react';
import { App, Button, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, EyeOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api';
import { dateTime } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import type { ItemOf, ResponseOf } from '../../lib/types';

type Attachment = ItemOf<ResponseOf<'/api/v1/parties/{id}/attachments'>>;
const CATEGORIES = [
  'business_licence',
  'financial_statement',
  'contract',
  'id_document',
  'site_photo',
  'credit_report',
  'audio',
  'video',
  'other',
];

/** Pictures, sound and video play in the page (资料随时调阅); other files download. */
function Preview({ url, contentType }: { url: string; contentType: string }) {
  if (contentType.startsWith('image/')) return <img src={url} alt="" style={{ maxWidth: '100%' }} />;
  if (contentType.startsWith('audio/'))
    return (
      // a customer's own recording: no caption track exists
      <audio src={url} controls style={{ width: '100%' }}>
        <track kind="captions" />
      </audio>
    );
  if (contentType.startsWith('video/'))
    return (
      <video src={url} controls style={{ width: '100%' }}>
        <track kind="captions" />
      </video>
    );
  return null;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function Attachments({ partyId, canUpload }: { partyId: string; canUpload: boolean }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const notify = useNotifyError();
  const list = useRemote<Attachment[]>(`/api/v1/parties/${partyId}/attachments`);
  const [category, setCategory] = useState('other');
  const [visibility, setVisibility] = useState<'private' | 'shared'>('private');
  const [uploading, setUploading] = useState(false);

  const upload = async (file: File) => {
    const form = new FormData();
    form.append('category', category);
    form.append('visibility', visibility);
    form.append('file', file, file.name);
    setUploading(true);
    try {
      await api('POST', `/api/v1/parties/${partyId}/attachments`, form);
      void message.success(t('common.saved'));
      list.reload();
    } catch (err) {
      notify(err);
    } finally {
      setUploading(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {canUpload && (
        <Space wrap>
          <Select
            value={category}
            onChange={setCategory}
            style={{ width: 150 }}
            options={CATEGORIES.map((c) => ({ value: c, label: t(`attachment.categories.${c}`) }))}
          />
          <Select
            value={visibility}
            onChange={setVisibility}
            style={{ width: 110 }}
            options={[
              { value: 'private', label: t('attachment.private') },
              { value: 'shared', label: t('attachment.shared') },
            ]}
          />
          <Upload
            showUploadList={false}
            beforeUpload={(file) => {
              void upload(file);
              return false;
            }}
            accept=".pdf,.png,.jpg,.jpeg,.gif,.webp,.xlsx,.docx,.txt,.csv,.mp3,.m4a,.wav,.ogg,.mp4,.mov,.webm"
          >
            <Button icon={<UploadOutlined />} loading={uploading}>
              {t('common.upload')}
            </Button>
          </Upload>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('attachment.hint')}
          </Typography.Text>
        </Space>
      )}
      <Table<Attachment>
        rowKey="id"
        size="small"
        pagination={false}
        loading={list.loading}
        dataSource={list.data}
        scroll={{ x: 640 }}
        columns={[
          { title: t('attachment.fileName'), dataIndex: 'fileName' },
          { title: t('attachment.category'), dataIndex: 'category', render: (c: string) => t(`attachment.categories.${c}`) },
          {
            title: t('attachment.visibility'),
            dataIndex: 'visibility',
            render: (v: string) => <Tag color={v === 'private' ? 'orange' : 'green'}>{t(`attachment.${v}`)}</Tag>,
          },
          { title: t('attachment.size'), dataIndex: 'sizeBytes', render: size, align: 'right' },
          { title: t('attachment.uploadedAt'), dataIndex: 'createdAt', render: dateTime },
          {
            title: '',
            key: 'preview',
            width: 56,
            render: (_: unknown, r) =>
              /^(image|audio|video)\//.test(r.contentType) ? (
                <Button
                  type="link"
                  icon={<EyeOutlined />}
                  aria-label={t('common.detail')}
                  data-testid="attachment-preview"
                  onClick={() =>
                    void modal.info({
                      title: r.fileName,
                      width: Math.min(720, window.innerWidth),
                      content: <Preview url={`/api/v1/parties/${partyId}/attachments/${r.id}`} contentType={r.contentType} />,
                    })
                  }
                />
              ) : null,
          },
          {
            title: '',
            key: 'dl',
            width: 56,
            render: (_: unknown, r) => (
              <Button
                type="link"
                icon={<DownloadOutlined />}
                href={`/api/v1/parties/${partyId}/attachments/${r.id}`}
                aria-label={t('common.download')}
              />
            ),
          },
        ]}
      />
    </Space>
  );
}
