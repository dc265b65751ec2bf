import { Alert, Button, Empty, Flex, Skeleton, Spin } from 'antd';
import type { ReactNode } from 'react';
import { messageOf } from '../api/problem';

/** Every page's three states besides its data: loading, empty, failed (with the API's message). */
export const PageLoading = ({ tip = '正在加载…' }: { tip?: string }) => (
  <Flex vertical align="center" justify="center" gap={12} style={{ padding: '64px 0' }} role="status" aria-live="polite">
    <Spin size="large" />
    <span style={{ color: 'rgba(0,0,0,0.65)' }}>{tip}</span>
  </Flex>
);

export const ListLoading = () => (
  <div role="status" aria-label="正在加载">
    <Skeleton active paragraph={{ rows: 4 }} />
  </div>
);

export const EmptyState = ({ description, children }: { description: ReactNode; children?: ReactNode }) => (
  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={description} style={{ padding: '32px 0' }}>
    {children}
  </Empty>
);

export const ErrorState = ({ error, onRetry }: { error: unknown; onRetry?: (() => void) | undefined }) => (
  <Alert
    type="error"
    showIcon
    title="加载失败"
    description={messageOf(error)}
    action={
      onRetry ? (
        <Button size="small" onClick={onRetry}>
          重试
        </Button>
      ) : undefined
    }
    style={{ margin: '16px 0' }}
  />
);

interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  refetch: () => unknown;
}

/** Renders a TanStack query: loading → error (retry) → empty → children(data). */
export const QueryView = <T,>({
  query,
  isEmpty,
  empty,
  loading,
  children,
}: {
  query: QueryLike<T>;
  isEmpty?: ((data: T) => boolean) | undefined;
  empty?: ReactNode;
  loading?: ReactNode;
  children: (data: T) => ReactNode;
}) => {
  if (query.isPending) return <>{loading ?? <PageLoading />}</>;
  if (query.error || query.data === undefined) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data)) return <>{empty ?? <EmptyState description="暂无数据" />}</>;
  return <>{children(query.data)}</>;
};
