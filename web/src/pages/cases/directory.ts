import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../api/client';
import type { Officer, Unit } from '../../api/views';

/** The agency's departments and officers (for the case form's selects and for names in lists). */
export const useUnits = (agencyId: string | undefined) =>
  useQuery({
    queryKey: ['agency', agencyId, 'units'],
    queryFn: () => call<{ items: Unit[] }>(api().GET('/agencies/{agencyId}/units', { params: { path: { agencyId: agencyId! } } })),
    enabled: !!agencyId,
    staleTime: 5 * 60_000,
  });

export const useOfficers = (agencyId: string | undefined) =>
  useQuery({
    queryKey: ['agency', agencyId, 'officers', 'all'],
    queryFn: () => call<{ items: Officer[] }>(api().GET('/agencies/{agencyId}/officers', { params: { path: { agencyId: agencyId! }, query: {} } })),
    enabled: !!agencyId,
    staleTime: 5 * 60_000,
  });
