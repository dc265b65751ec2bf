import { CheckCircleFilled, CloseCircleFilled, SafetyCertificateOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button } from 'antd';
import { api, call } from '../../api/client';
import { messageOf } from '../../api/problem';
import type { ChainVerification } from '../../api/views';

/** The file's hash chain, verified by the API on request (every verification is audited). */
export const useChainVerification = (officerId: string) =>
  useQuery({
    queryKey: ['file', officerId, 'verify'],
    queryFn: () => call<ChainVerification>(api().GET('/officers/{officerId}/file/verify', { params: { path: { officerId } } })),
    enabled: false,
    staleTime: Infinity,
  });

export const ChainStatus = ({ officerId }: { officerId: string }) => {
  const v = useChainVerification(officerId);
  if (!v.data && !v.error) {
    return (
      <Button icon={<SafetyCertificateOutlined />} loading={v.isFetching} onClick={() => void v.refetch()}>
        校验档案哈希链
      </Button>
    );
  }
  if (v.error)
    return (
      <Alert
        type="error"
        showIcon
        title="校验未完成"
        description={messageOf(v.error)}
        action={
          <Button size="small" onClick={() => void v.refetch()}>
            重试
          </Button>
        }
      />
    );
  const r = v.data!;
  return r.ok ? (
    <Alert type="success" showIcon icon={<CheckCircleFilled />} role="status" title={`档案哈希链完整：共 ${r.count} 条，逐条校验通过`} />
  ) : (
    <Alert
      type="error"
      showIcon
      icon={<CloseCircleFilled />}
      role="alert"
      title={`档案哈希链异常：发现 ${r.problems.length} 处问题`}
      description={r.problems.map((p) => (
        <div key={`${p.seq ?? ''}:${String(p.message ?? p.problem ?? '')}`}>
          {p.seq !== undefined ? `第 ${p.seq} 条：` : ''}
          {String(p.message ?? p.problem ?? JSON.stringify(p))}
        </div>
      ))}
    />
  );
};
