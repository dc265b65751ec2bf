import { Button, Card, Flex, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, call } from '../../api/client';
import type { CasePage, CaseSummary } from '../../api/case-views';
import { useCursorList } from '../../api/paging';
import { PATHS } from '../../app/paths';
import { hasRole, useSession } from '../../auth/session';
import { LoadMore } from '../../ui/LoadMore';
import { EmptyState, ErrorState, ListLoading } from '../../ui/states';
import { CASE_KIND_LABELS, CASE_STEP_LABELS } from './case-labels';
import { CreateCaseDialog } from './CreateCaseDialog';
import { useUnits } from './directory';

/**
 * 案件 (一案一表, A2): the agency's cases (leadership, legal, supervision, discipline; a department
 * head sees the department's), newest first, paged by cursor; 立案登记 for the handling department's
 * officers, its head and leadership. Each case opens its form with its steps.
 */
const PAGE_SIZE = 20;
/** who may read the case list (the API: leadership, legal, supervision, discipline, a department's head) */
export const CASE_LIST_ROLES = ['leadership', 'supervision', 'legal', 'discipline', 'deptHead'];
export const CASE_CREATE_ROLES = ['leadership', 'officer', 'deptHead'];

const CaseListPage = () => {
  const session = useSession();
  const user = session!.user;
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const agencyWide = hasRole(user, 'leadership', 'supervision', 'legal', 'discipline');
  const mayList = hasRole(user, ...CASE_LIST_ROLES);
  const [unitFilter, setUnitFilter] = useState<string | undefined>(agencyWide ? undefined : user.unitId);
  const units = useUnits(user.agencyId);
  const unitName = (id: string) => units.data?.items.find((u) => u.unitId === id)?.name ?? id;
  const list = useCursorList<CaseSummary>(
    ['cases', user.agencyId, unitFilter],
    (cursor) =>
      call<CasePage>(api().GET('/agencies/{agencyId}/cases', { params: { path: { agencyId: user.agencyId }, query: { limit: PAGE_SIZE, cursor, ...(unitFilter ? { unitId: unitFilter } : {}) } } })),
    { enabled: mayList },
  );

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center">
        <Typography.Title level={1} className="ea-page-title">
          案件
        </Typography.Title>
        {hasRole(user, ...CASE_CREATE_ROLES) ? (
          <Button type="primary" onClick={() => setCreating(true)}>
            立案登记
          </Button>
        ) : null}
      </Flex>
      <Card>
        {!mayList ? (
          <EmptyState description="案件清单由机关领导、法制、执法监督、纪检监察部门和部门负责人查看；您登记的案件在立案后直接打开。" />
        ) : (
          <section aria-label="案件清单">
            {agencyWide ? (
              <Flex gap={8} align="center" style={{ marginBottom: 12 }}>
                <label htmlFor="case-unit-filter">承办部门</label>
                <Select
                  id="case-unit-filter"
                  allowClear
                  placeholder="全部部门"
                  style={{ width: 240 }}
                  value={unitFilter}
                  onChange={(v: string | undefined) => setUnitFilter(v)}
                  options={(units.data?.items ?? []).map((u) => ({ value: u.unitId, label: u.name }))}
                />
              </Flex>
            ) : null}
            {list.isPending ? (
              <ListLoading />
            ) : list.error ? (
              <ErrorState error={list.error} onRetry={list.refetch} />
            ) : list.items.length === 0 ? (
              <EmptyState description="暂无案件" />
            ) : (
              <>
                <Table<CaseSummary>
                  rowKey="caseId"
                  dataSource={list.items}
                  pagination={false}
                  size="middle"
                  columns={[
                    { title: '案号', dataIndex: 'caseNumber', render: (v: string, c) => <Link to={PATHS.case(c.caseId)}>{v}</Link> },
                    { title: '案件名称', dataIndex: 'title' },
                    { title: '类别', dataIndex: 'kind', render: (k: CaseSummary['kind']) => CASE_KIND_LABELS[k] },
                    { title: '承办部门', dataIndex: 'unitId', render: (id: string) => unitName(id) },
                    {
                      title: '当前环节',
                      dataIndex: 'state',
                      render: (s: CaseSummary['state'], c) => (
                        <Flex gap={4}>
                          <Tag>{CASE_STEP_LABELS[s]}</Tag>
                          {c.major ? <Tag color="red">重大执法决定</Tag> : null}
                        </Flex>
                      ),
                    },
                  ]}
                />
                <LoadMore hasMore={list.hasMore} loading={list.loadingMore} onLoad={list.loadMore} count={list.items.length} />
              </>
            )}
          </section>
        )}
      </Card>
      <CreateCaseDialog open={creating} onClose={() => setCreating(false)} onCreated={(caseId) => navigate(PATHS.case(caseId))} />
    </Flex>
  );
};
export default CaseListPage;
