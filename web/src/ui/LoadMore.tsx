import { Button, Flex } from 'antd';

/** The footer of a cursor-paged list. */
export const LoadMore = ({ hasMore, loading, onLoad, count }: { hasMore: boolean; loading: boolean; onLoad: () => void; count: number }) => (
  <Flex justify="center" style={{ padding: '12px 0' }}>
    {hasMore ? (
      <Button onClick={onLoad} loading={loading}>
        加载更多
      </Button>
    ) : (
      <span style={{ color: 'rgba(0,0,0,0.65)' }}>{count > 0 ? `已显示全部 ${count} 条` : ''}</span>
    )}
  </Flex>
);
