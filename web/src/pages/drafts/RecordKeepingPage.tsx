import { useQuery } from '@tanstack/react-query';
import { Card, Col, Flex, Row, Select, Statistic, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { useSession } from '../../auth/session';
import { formatDateTime, shanghaiToday } from '../../ui/format';
import { EmptyState, QueryView } from '../../ui/states';

/**
 * 我的存储情况 (D2): the officer's audiovisual records of a year — how many were stored, how many on
 * the day (by the rule version's end of the working day) and which were stored late, with when they
 * were captured and stored. It counts towards the annual assessment.
 */
interface StorageRecord {
  evidenceId: string;
  capturedAt: string;
  endedAt: string;
  storedAt: string;
  late: boolean;
  title: string;
}
interface RecordKeeping {
  officerId: string;
  year: number;
  stored: number;
  late: number;
  onTime: number;
  lateItems: StorageRecord[];
}
const YEARS_BACK = 5;

const RecordKeepingPage = () => {
  const user = useSession()!.user;
  const thisYear = Number(shanghaiToday().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const q = useQuery({
    queryKey: ['record-keeping', user.officerId, year],
    queryFn: () => call<RecordKeeping>(api().GET('/officers/{officerId}/record-keeping', { params: { path: { officerId: user.officerId! }, query: { year } } })),
    enabled: !!user.officerId,
  });
  if (!user.officerId) return <EmptyState description="您的账号未关联执法人员" />;
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center">
        <Typography.Title level={1} className="ea-page-title">
          我的存储情况（声像资料，D2）
        </Typography.Title>
        <Flex gap={8} align="center">
          <label htmlFor="record-keeping-year">年度</label>
          <Select
            id="record-keeping-year"
            value={year}
            onChange={setYear}
            style={{ width: 120 }}
            options={Array.from({ length: YEARS_BACK }, (_, i) => thisYear - i).map((y) => ({ value: y, label: `${y} 年` }))}
          />
        </Flex>
      </Flex>
      <QueryView query={q}>
        {(d) => (
          <Row gutter={[16, 16]}>
            <Col span={8}>
              <Card>
                <Statistic title="已存储" value={d.stored} suffix="条" />
              </Card>
            </Col>
            <Col span={8}>
              <Card>
                <Statistic title="当日存储" value={d.onTime} suffix="条" />
              </Card>
            </Col>
            <Col span={8}>
              <Card>
                <Statistic title="迟延存储" value={d.late} suffix="条" styles={{ content: { color: d.late ? '#b91c1c' : undefined } }} />
              </Card>
            </Col>
            <Col span={24}>
              <Card title="迟延存储的声像资料">
                {d.lateItems.length === 0 ? (
                  <EmptyState description={`${d.year} 年没有迟延存储`} />
                ) : (
                  <Table<StorageRecord>
                    rowKey="evidenceId"
                    size="small"
                    pagination={false}
                    dataSource={d.lateItems}
                    columns={[
                      { title: '名称', dataIndex: 'title' },
                      { title: '拍摄时间', dataIndex: 'capturedAt', render: formatDateTime },
                      { title: '存储时间', dataIndex: 'storedAt', render: formatDateTime },
                    ]}
                  />
                )}
              </Card>
            </Col>
          </Row>
        )}
      </QueryView>
    </Flex>
  );
};
export default RecordKeepingPage;
