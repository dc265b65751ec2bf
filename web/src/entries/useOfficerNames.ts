import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client';
import type { Officer } from '../api/views';

/** Officer id → name for an agency (or one of its departments), for lists that carry ids only. */
export const useOfficerNames = (agencyId: string | undefined, unitId?: string) => {
  const q = useQuery({
    queryKey: ['agency', agencyId, 'officers', unitId ?? 'all'],
    queryFn: () => call<{ items: Officer[] }>(api().GET('/agencies/{agencyId}/officers', { params: { path: { agencyId: agencyId! }, query: unitId ? { unitId } : {} } })),
    enabled: !!agencyId,
    staleTime: 5 * 60_000,
  });
  const names = new Map((q.data?.items ?? []).map((o) => [o.officerId, o.name]));
  return (officerId: string) => names.get(officerId) ?? officerId;
};
