import { type QueryKey, useInfiniteQuery } from '@tanstack/react-query';
import type { Page } from './views';

/**
 * Cursor paging (every list of the API): the API returns `{ items, cursor? }` and takes the cursor
 * back for the next page. `useCursorList` keeps the pages loaded so far and offers "加载更多".
 */
export const useCursorList = <T>(queryKey: QueryKey, fetchPage: (cursor: string | undefined) => Promise<Page<T>>, opts: { enabled?: boolean } = {}) => {
  const q = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor || undefined,
    enabled: opts.enabled ?? true,
  });
  const pages = q.data?.pages ?? [];
  return {
    items: pages.flatMap((p) => p.items),
    /** the last page loaded (for extra fields such as counts) */
    lastPage: pages[pages.length - 1],
    firstPage: pages[0],
    hasMore: q.hasNextPage,
    loadMore: () => void q.fetchNextPage(),
    loadingMore: q.isFetchingNextPage,
    isPending: q.isPending,
    error: q.error,
    refetch: () => void q.refetch(),
  };
};
