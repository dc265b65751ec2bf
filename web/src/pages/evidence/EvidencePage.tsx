import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Flex, Form, Input, Progress, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../../auth/session';
import { PATHS } from '../../app/paths';
import { uploadsOf, type UploadRecord } from '../../upload/store';
import { formatDateTime } from '../../ui/format';
import { RowList } from '../../ui/RowList';
import { EmptyState } from '../../ui/states';
import { formatBytes, RECORDING_KIND_LABELS } from './evidence-labels';
import { type Phase, sameFile, useUpload } from './useUpload';

/**
 * 执法记录: upload a recording from the browser straight to S3 — SHA-256 and SM3 computed in a Web
 * Worker while the file is read, then the parts in parallel with a progress bar — resume an upload
 * a reload interrupted (its state is in IndexedDB: select the same file again), and open the items
 * uploaded from this browser or any item by its number.
 */
interface Values {
  kind: string;
  title: string;
  deviceId: string;
  period: [Dayjs, Dayjs];
  place: string;
  caseId?: string;
}

const PHASE_TEXT: Record<Phase, string> = {
  idle: '',
  hashing: '正在计算 SHA-256 与 SM3…',
  declaring: '正在声明上传…',
  uploading: '正在上传到对象存储…',
  done: '上传完成，等待服务器校验',
  failed: '上传未完成',
};

const percent = (n: number, total: number) => (total ? Math.floor((n / total) * 100) : 100);

const ProgressPanel = ({ progress: p }: { progress: ReturnType<typeof useUpload>['progress'] }) =>
  p.phase === 'idle' ? null : (
    <section aria-label="上传进度" style={{ marginTop: 16 }}>
      <Typography.Text role="status">{PHASE_TEXT[p.phase]}</Typography.Text>
      <div>
        计算哈希
        <Progress percent={percent(p.hashed, p.total)} aria-label="计算哈希进度" />
      </div>
      <div>
        上传
        <Progress percent={percent(p.sent, p.total)} status={p.phase === 'failed' ? 'exception' : p.phase === 'done' ? 'success' : 'active'} aria-label="上传进度" />
      </div>
      {p.record ? (
        <Typography.Paragraph>
          证据编号 <Typography.Text code>{p.record.evidenceId}</Typography.Text>　SHA-256 <Typography.Text code>{p.record.sha256}</Typography.Text>　SM3{' '}
          <Typography.Text code>{p.record.sm3}</Typography.Text>
        </Typography.Paragraph>
      ) : null}
      {p.phase === 'failed' ? <Alert type="error" showIcon title="上传未完成" description={`${p.error ?? ''}。已上传的分片已保存，刷新页面后可选择同一文件继续上传。`} /> : null}
      {p.phase === 'done' && p.record ? <Alert type="success" showIcon title="已上传" action={<Link to={PATHS.evidenceItem(p.record.evidenceId)}>查看校验结果</Link>} /> : null}
    </section>
  );

/** called when an upload ended: with its record once every byte is in S3 (then the item's page shows the verification) */
type Finished = (done: UploadRecord | undefined) => void;

const UploadForm = ({ onFinished }: { onFinished: Finished }) => {
  const user = useSession()!.user;
  const [form] = Form.useForm<Values>();
  const [file, setFile] = useState<File>();
  const { progress, upload } = useUpload();
  const busy = progress.phase === 'hashing' || progress.phase === 'declaring' || progress.phase === 'uploading';
  const submit = async (v: Values) => {
    if (!file || !user.officerId) return;
    const done = await upload(file, user.userId, user.officerId, {
      kind: v.kind,
      title: v.title,
      deviceId: v.deviceId,
      startedAt: v.period[0].toISOString(),
      endedAt: v.period[1].toISOString(),
      place: v.place,
      caseId: v.caseId || undefined,
    });
    onFinished(done);
  };
  return (
    <Card title="上传执法记录">
      <Form form={form} name="declare" layout="vertical" onFinish={submit} initialValues={{ kind: 'patrol', period: [dayjs().subtract(30, 'minute'), dayjs().subtract(5, 'minute')] }}>
        <Form.Item label="文件" htmlFor="evidence-file" required>
          <input id="evidence-file" type="file" onChange={(e) => setFile(e.target.files?.[0])} disabled={busy} />
          {file ? <div>{`${file.name}（${formatBytes(file.size)}）`}</div> : null}
        </Form.Item>
        <Flex gap={16} wrap>
          <Form.Item name="title" label="标题" rules={[{ required: true, message: '请填写标题' }]} style={{ flex: 1, minWidth: 240 }}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="kind" label="执法类别" rules={[{ required: true }]} style={{ width: 220 }}>
            <Select options={Object.entries(RECORDING_KIND_LABELS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
        </Flex>
        <Flex gap={16} wrap>
          <Form.Item name="deviceId" label="记录设备编号" rules={[{ required: true, message: '请填写记录设备编号' }]} style={{ width: 220 }}>
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item name="period" label="采集起止时间" rules={[{ required: true, message: '请选择采集起止时间' }]}>
            <DatePicker.RangePicker showTime format="YYYY年M月D日 HH:mm" aria-label="采集起止时间" />
          </Form.Item>
          <Form.Item name="place" label="采集地点" rules={[{ required: true, message: '请填写采集地点' }]} style={{ flex: 1, minWidth: 240 }}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="caseId" label="关联案件编号（可选）" style={{ width: 280 }}>
            <Input maxLength={26} />
          </Form.Item>
        </Flex>
        {!user.officerId ? <Alert type="info" showIcon title="只有执法人员本人上传其采集的执法记录（D2）" /> : null}
        <Button type="primary" htmlType="submit" disabled={!file || busy || !user.officerId}>
          开始上传
        </Button>
      </Form>
      <ProgressPanel progress={progress} />
    </Card>
  );
};

const ResumeItem = ({ record, onFinished }: { record: UploadRecord; onFinished: Finished }) => {
  const { progress, resume } = useUpload();
  const [mismatch, setMismatch] = useState<string>();
  const done = Object.keys(record.etags).length;
  const pick = async (f: File | undefined) => {
    if (!f) return;
    if (!sameFile(record, f)) {
      setMismatch(`所选文件与原上传不符（应为 ${record.fileName}，${formatBytes(record.size)}）`);
      return;
    }
    setMismatch(undefined);
    onFinished(await resume(f, record));
  };
  const id = `resume-${record.evidenceId}`;
  return (
    <li className="ea-row">
      <Flex vertical style={{ width: '100%' }}>
        <span>
          <strong>{record.title}</strong>　{record.fileName}（{formatBytes(record.size)}）　已上传 {done}/{record.partCount} 个分片　声明于 {formatDateTime(record.createdAt)}
        </span>
        <Space>
          <label htmlFor={id}>继续上传：请重新选择文件 {record.fileName}</label>
          <input id={id} type="file" onChange={(e) => void pick(e.target.files?.[0])} />
        </Space>
        {mismatch ? <Alert type="error" showIcon title={mismatch} /> : null}
        <ProgressPanel progress={progress} />
      </Flex>
    </li>
  );
};

const EvidencePage = () => {
  const user = useSession()!.user;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [openId, setOpenId] = useState('');
  const local = useQuery({ queryKey: ['local-uploads', user.userId], queryFn: () => uploadsOf(user.userId) });
  const refresh: Finished = (done) => {
    if (done) navigate(PATHS.evidenceItem(done.evidenceId));
    else void queryClient.invalidateQueries({ queryKey: ['local-uploads', user.userId] });
  };
  const unfinished = (local.data ?? []).filter((r) => r.state === 'uploading');
  const finished = (local.data ?? []).filter((r) => r.state === 'completed');
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} className="ea-page-title">
        执法记录
      </Typography.Title>
      {unfinished.length ? (
        <Card title="未完成的上传">
          <section aria-label="未完成的上传">
            <ul className="ea-rows">
              {unfinished.map((r) => (
                <ResumeItem key={r.evidenceId} record={r} onFinished={refresh} />
              ))}
            </ul>
          </section>
        </Card>
      ) : null}
      <UploadForm onFinished={refresh} />
      <Card title="查看声像资料">
        <Space.Compact>
          <Input aria-label="证据编号" placeholder="输入证据编号" value={openId} onChange={(e) => setOpenId(e.target.value.trim())} style={{ width: 320 }} />
          <Button onClick={() => openId && navigate(PATHS.evidenceItem(openId))} disabled={!openId}>
            打开
          </Button>
        </Space.Compact>
      </Card>
      <Card title="本机上传记录">
        {finished.length ? (
          <RowList
            label="本机上传记录"
            rows={finished.map((r) => ({
              key: r.evidenceId,
              title: <Link to={PATHS.evidenceItem(r.evidenceId)}>{r.title}</Link>,
              description: `${r.fileName}（${formatBytes(r.size)}）　${formatDateTime(r.createdAt)}`,
            }))}
          />
        ) : (
          <EmptyState description="本浏览器尚无上传记录" />
        )}
      </Card>
    </Flex>
  );
};
export default EvidencePage;
