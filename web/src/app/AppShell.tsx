import { LogoutOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App as AntApp, Badge, Button, Flex, Layout, Menu, Tag, Typography } from 'antd';
import { Suspense } from 'react';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { api, call } from '../api/client';
import type { InboxItem } from '../api/views';
import { endSession, useSession } from '../auth/session';
import { config } from '../config';
import { PageLoading } from '../ui/states';
import { navFor } from './navigation';
import { PATHS } from './paths';

const { Header, Sider, Content } = Layout;

/** unread messages, for the badge; the inbox page shares this query */
export const unreadQueryKey = ['inbox', 'unread'] as const;
const UNREAD_LIMIT = 99;

export const useUnreadCount = (enabled: boolean) =>
  useQuery({
    queryKey: unreadQueryKey,
    queryFn: async () => (await call<{ items: InboxItem[] }>(api().GET('/inbox', { params: { query: { unreadOnly: 'true', limit: UNREAD_LIMIT } } }))).items.length,
    enabled,
    refetchInterval: 60_000,
  });

/** The frame of every signed-in page: header (who, sign out), role-driven menu, content. */
const AppShell = () => {
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const unread = useUnreadCount(!!session);
  if (!session) return <Navigate to={PATHS.login} replace state={{ from: location.pathname + location.search }} />;
  const user = session.user;
  const items = navFor(user);
  const selected = items.filter((i) => location.pathname.startsWith(i.path)).map((i) => i.path);
  const env = config().environmentLabel;

  return (
    <AntApp>
      <Layout style={{ minHeight: '100vh' }}>
        <Header className="ea-header">
          <Flex align="center" justify="space-between" style={{ height: '100%' }}>
            <Flex align="center" gap={12}>
              <span className="ea-emblem" aria-hidden="true">
                档
              </span>
              <Typography.Title level={1} className="ea-title">
                执法档案平台
              </Typography.Title>
              {env ? <Tag color="gold">{env}</Tag> : null}
            </Flex>
            <Flex align="center" gap={16}>
              <span className="ea-user" data-testid="current-user">
                {user.name ?? user.userId}
                <span className="ea-user-roles">（{(user.roleLabels ?? user.roles).join('、')}）</span>
              </span>
              <Button
                icon={<LogoutOutlined />}
                onClick={() => {
                  const viaOidc = session.kind === 'oidc';
                  endSession();
                  // the provider's tokens in this tab too; oidc-client-ts is loaded only where OIDC is used
                  if (viaOidc) void import('../auth/oidc').then((m) => m.forgetOidcUser());
                  navigate(PATHS.login, { replace: true });
                }}
              >
                退出
              </Button>
            </Flex>
          </Flex>
        </Header>
        <Layout>
          <Sider width={200} theme="light" breakpoint="lg" collapsedWidth={0} className="ea-sider">
            <nav aria-label="主菜单">
              <Menu
                mode="inline"
                selectedKeys={selected}
                items={items.map((i) => ({
                  key: i.path,
                  icon: i.icon,
                  label: (
                    <Link to={i.path}>
                      {i.inboxBadge ? (
                        <Badge count={unread.data ?? 0} size="small" offset={[10, 0]} overflowCount={UNREAD_LIMIT - 1} title={`${unread.data ?? 0} 条未读消息`}>
                          <span>{i.label}</span>
                        </Badge>
                      ) : (
                        i.label
                      )}
                    </Link>
                  ),
                }))}
              />
            </nav>
          </Sider>
          <Content className="ea-content">
            <Suspense fallback={<PageLoading />}>
              <Outlet />
            </Suspense>
          </Content>
        </Layout>
      </Layout>
    </AntApp>
  );
};
export default AppShell;
