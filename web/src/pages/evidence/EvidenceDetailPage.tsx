import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Card, Descriptions, Flex, Tag, Typography } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, callWithEtag } from '../../api/client';
import { PATHS } from '../../app/paths';
import { getUpload } from '../../upload/store';
import { formatDate, formatDateTime } from '../../ui/format';
import { QueryView } from '../../ui/states';
import { CopiesPanel, DispositionPanel, HoldsPanel } from './CustodyPanels';
import { EVIDENCE_STATUS_LABELS, formatBytes, QUARANTINE_REASON_LABELS, RECORDING_KIND_LABELS, RETENTION_CLASS_LABELS } from './evidence-labels';
import type { EvidenceView } from './evidence-views';
import { ViewingPanel } from './ViewingPanel';

/**
 * One recording: its state (上传中 → 已校验入库, or 已隔离 when what arrived is not what was declared),
 * both hashes (the server's beside the ones this browser computed), retention, and custody —
 * holds (D4), viewing requests and playback under an approved grant (D6), copies (D5), disposition.
 */
const EvidenceDetailPage = () => {
  const { evidenceId = '' } = useParams();
  const [search] = useSearchParams();
  const q = useQuery({
    queryKey: ['evidence', evidenceId],
    queryFn: () => callWithEtag<EvidenceView>(api().GET('/evidence/{evidenceId}', { params: { path: { evidenceId } } })),
    // the ingest runs after S3 has the object: look again until it has decided
    refetchInterval: (query) => (query.state.data?.data.status === 'uploading' ? 1000 : false),
  });
  const local = useQuery({ queryKey: ['local-upload', evidenceId], queryFn: async () => (await getUpload(evidenceId)) ?? null });
  return (
    <Flex vertical gap={16}>
      <Breadcrumb items={[{ title: <Link to={PATHS.evidence}>执法记录</Link> }, { title: q.data?.data.title ?? '声像资料' }]} />
      <QueryView query={q}>
        {({ data: e, etag }) => (
          <>
            <Typography.Title level={1} className="ea-page-title">
              {e.title}
            </Typography.Title>
            <Card title="声像资料">
              <StatusAlert e={e} />
              <Descriptions column={2} size="small" bordered>
                <Descriptions.Item label="状态">
                  <Tag color={EVIDENCE_STATUS_LABELS[e.status]?.color} data-testid="evidence-status">
                    {EVIDENCE_STATUS_LABELS[e.status]?.text ?? e.status}
                  </Tag>
                </Descriptions.Item>
                <Descriptions.Item label="证据编号">{e.evidenceId}</Descriptions.Item>
                <Descriptions.Item label="执法类别">{RECORDING_KIND_LABELS[e.kind] ?? e.kind}</Descriptions.Item>
                <Descriptions.Item label="文件">{`${e.fileName}（${formatBytes(e.size)}，${e.mediaType}）`}</Descriptions.Item>
                <Descriptions.Item label="采集时间">{`${formatDateTime(e.capture.startedAt)} 至 ${formatDateTime(e.capture.endedAt)}`}</Descriptions.Item>
                <Descriptions.Item label="采集地点">{e.capture.place}</Descriptions.Item>
                <Descriptions.Item label="声明的 SHA-256" span={2}>
                  <Typography.Text code>{e.declaredSha256}</Typography.Text>
                </Descriptions.Item>
                <Descriptions.Item label="服务器计算的 SHA-256" span={2}>
                  {e.sha256 ? <Typography.Text code>{e.sha256}</Typography.Text> : '—'}
                </Descriptions.Item>
                <Descriptions.Item label="服务器计算的 SM3" span={2}>
                  {e.sm3 ? <Typography.Text code>{e.sm3}</Typography.Text> : '—'}
                </Descriptions.Item>
                {local.data ? (
                  <Descriptions.Item label="本机计算的 SM3" span={2}>
                    <Typography.Text code>{local.data.sm3}</Typography.Text>
                    {e.sm3 ? (
                      <Tag color={e.sm3 === local.data.sm3 ? 'green' : 'red'} style={{ marginLeft: 8 }}>
                        {e.sm3 === local.data.sm3 ? 'SM3 一致' : 'SM3 不一致'}
                      </Tag>
                    ) : null}
                  </Descriptions.Item>
                ) : null}
                <Descriptions.Item label="入库时间">{e.ingestedAt ? formatDateTime(e.ingestedAt) : '—'}</Descriptions.Item>
                <Descriptions.Item label="存储时限（D2）">{e.late === undefined ? '—' : e.late ? <Tag color="orange">迟延存储</Tag> : '当日存储'}</Descriptions.Item>
                <Descriptions.Item label="保存期限（D3、D4）" span={2}>
                  {e.retention
                    ? `${RETENTION_CLASS_LABELS[e.retention.retentionClass] ?? e.retention.retentionClass}，${e.retention.retainUntil ? `至 ${formatDate(e.retention.retainUntil)}` : '期限待定或永久'}${e.retention.legalHold ? '（保存措施中）' : ''}`
                    : '—'}
                </Descriptions.Item>
              </Descriptions>
            </Card>
            <ViewingPanel e={e} requestId={search.get('request') ?? undefined} />
            <HoldsPanel e={e} etag={etag} />
            <CopiesPanel e={e} />
            <DispositionPanel e={e} />
          </>
        )}
      </QueryView>
    </Flex>
  );
};
export default EvidenceDetailPage;

const StatusAlert = ({ e }: { e: EvidenceView }) => {
  if (e.status === 'uploading') return <Alert type="info" showIcon title="等待上传完成与服务器校验" style={{ marginBottom: 12 }} />;
  if (e.status === 'quarantined')
    return (
      <Alert
        type="error"
        showIcon
        title="已隔离：到达对象存储的内容与声明不符"
        description={`${QUARANTINE_REASON_LABELS[e.quarantine?.reason ?? ''] ?? e.quarantine?.reason ?? ''}${e.quarantine?.actualSha256 ? `；实际 SHA-256 ${e.quarantine.actualSha256}` : ''}。已通知上传人、部门负责人和安全保密管理员。`}
        style={{ marginBottom: 12 }}
      />
    );
  if (e.status === 'verified') return <Alert type="success" showIcon title="已校验：内容与声明的 SHA-256 一致，已入库保存" style={{ marginBottom: 12 }} />;
  return null;
};
