import { LoginOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Input, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { messageOf } from '../api/problem';
import type { DemoUser } from '../api/views';
import { homeFor } from '../app/navigation';
import { PATHS } from '../app/paths';
import { config } from '../config';
import { RowList } from '../ui/RowList';
import { EmptyState, ErrorState, ListLoading } from '../ui/states';
import { startOidcSignIn } from './oidc';
import { listDemoUsers, signInAsDemoUser } from './providers';
import { takeEndReason, useSession } from './session';

/**
 * The sign-in page. Locally (`npm start`) it is 演示登录: pick one of the seeded demo users and the
 * local issuer signs a token for them. With `auth.kind = 'oidc'` (AWS) it will hand over to the
 * agency's identity provider instead (authorization code + PKCE).
 */
const LoginPage = () => {
  const session = useSession();
  const location = useLocation();
  const [ended] = useState(takeEndReason);
  if (session) {
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from?.startsWith('/console/') && from !== PATHS.login ? from : homeFor(session.user)} replace />;
  }
  return (
    <main className="ea-login">
      <Flex vertical gap={16} style={{ maxWidth: 960, margin: '0 auto', padding: '32px 16px' }}>
        <Flex align="center" gap={12}>
          <span className="ea-emblem ea-emblem-large" aria-hidden="true">
            档
          </span>
          <div>
            <Typography.Title level={1} style={{ margin: 0, fontSize: 26, color: '#fff' }}>
              执法档案平台
            </Typography.Title>
            <Typography.Text style={{ color: '#e6ecf7' }}>一人一档 · 一案一表 · 执法全过程记录</Typography.Text>
          </div>
        </Flex>
        {ended ? <Alert type="warning" showIcon title={ended} /> : null}
        {config().auth.kind === 'localDemo' ? <DemoLogin /> : <OidcLogin />}
      </Flex>
    </main>
  );
};

/** AWS: hand over to the agency's identity provider (authorization code + PKCE, oidc.ts). */
const OidcLogin = () => {
  const location = useLocation();
  const [leaving, setLeaving] = useState(false);
  const [failure, setFailure] = useState<string>();
  const go = async () => {
    setLeaving(true);
    setFailure(undefined);
    try {
      const from = (location.state as { from?: string } | null)?.from;
      await startOidcSignIn(from?.startsWith('/console/') && from !== PATHS.login ? from : undefined);
    } catch (e) {
      setFailure(messageOf(e));
      setLeaving(false);
    }
  };
  return (
    <Card
      title={
        <Typography.Title level={2} style={{ margin: 0, fontSize: 18 }}>
          统一身份认证登录
        </Typography.Title>
      }
    >
      <Flex vertical gap={16} align="flex-start">
        <Typography.Paragraph style={{ margin: 0 }}>将转到本单位统一身份认证页面，登录（含动态口令）后自动返回本平台。</Typography.Paragraph>
        {failure ? <Alert type="error" showIcon title="无法转到统一身份认证" description={failure} /> : null}
        <Button type="primary" size="large" icon={<LoginOutlined />} loading={leaving} onClick={() => void go()}>
          登录
        </Button>
      </Flex>
    </Card>
  );
};

const DemoLogin = () => {
  const navigate = useNavigate();
  const location = useLocation();
  const users = useQuery({ queryKey: ['local', 'users'], queryFn: listDemoUsers, staleTime: 60_000 });
  const [filter, setFilter] = useState('');
  const [signingIn, setSigningIn] = useState<string>();
  const [failure, setFailure] = useState<string>();

  const groups = useMemo(() => {
    const f = filter.trim();
    const list = (users.data ?? []).filter((u) => !f || [u.name, u.userId, u.unitName ?? '', u.agencyName ?? '', ...u.roleLabels].some((s) => s.includes(f)));
    const byAgency = new Map<string, DemoUser[]>();
    for (const u of list) byAgency.set(u.agencyName ?? u.agencyId, [...(byAgency.get(u.agencyName ?? u.agencyId) ?? []), u]);
    return [...byAgency.entries()];
  }, [users.data, filter]);

  const signIn = async (u: DemoUser) => {
    setSigningIn(u.userId);
    setFailure(undefined);
    try {
      const me = await signInAsDemoUser(u.userId);
      const from = (location.state as { from?: string } | null)?.from;
      navigate(from?.startsWith('/console/') && from !== PATHS.login ? from : homeFor(me), { replace: true });
    } catch (e) {
      setFailure(messageOf(e));
    } finally {
      setSigningIn(undefined);
    }
  };

  return (
    <Card
      title={
        <Typography.Title level={2} style={{ margin: 0, fontSize: 18 }}>
          演示登录
        </Typography.Title>
      }
    >
      <Flex vertical gap={16}>
        <Alert type="info" showIcon title="本机演示环境" description="选择一位演示用户登录。演示用户仅存在于本机平台，任何能访问本机接口的人都可取得其令牌；正式部署通过本单位统一身份认证登录。" />
        <Input.Search allowClear placeholder="按姓名、部门或角色筛选" aria-label="筛选演示用户" value={filter} onChange={(e) => setFilter(e.target.value)} style={{ maxWidth: 360 }} />
        {failure ? <Alert type="error" showIcon title="登录失败" description={failure} /> : null}
        {users.isPending ? (
          <ListLoading />
        ) : users.error ? (
          <ErrorState error={users.error} onRetry={() => void users.refetch()} />
        ) : groups.length === 0 ? (
          <EmptyState description={filter ? '没有符合条件的演示用户' : '尚无演示用户：请确认本机平台已完成演示数据初始化'} />
        ) : (
          groups.map(([agency, list]) => (
            <section key={agency} aria-label={agency}>
              <Typography.Title level={3} style={{ fontSize: 16 }}>
                {agency}
              </Typography.Title>
              <RowList
                label={`${agency}的演示用户`}
                rows={list.map((u) => ({
                  key: u.userId,
                  title: (
                    <span>
                      {u.name}{' '}
                      <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                        {u.userId}
                      </Typography.Text>
                    </span>
                  ),
                  description: (
                    <span>
                      {u.unitName ? `${u.unitName} · ` : ''}
                      {u.post ?? ''}{' '}
                      {u.roleLabels.map((r) => (
                        <Tag key={r} color="blue">
                          {r}
                        </Tag>
                      ))}
                    </span>
                  ),
                  actions: (
                    <Button
                      type="primary"
                      icon={<LoginOutlined />}
                      loading={signingIn === u.userId}
                      disabled={!!signingIn && signingIn !== u.userId}
                      aria-label={`以${u.name}（${u.userId}）身份登录`}
                      onClick={() => void signIn(u)}
                    >
                      登录
                    </Button>
                  ),
                }))}
              />
            </section>
          ))
        )}
      </Flex>
    </Card>
  );
};
export default LoginPage;
