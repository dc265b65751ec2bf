import { Alert, Button, Flex } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { messageOf } from '../api/problem';
import { homeFor } from '../app/navigation';
import { PATHS } from '../app/paths';
import { PageLoading } from '../ui/states';
import { finishOidcSignIn } from './oidc';

/**
 * /console/callback: the identity provider returns here with `?code=…&state=…`. The code is
 * exchanged once (React may run effects twice in development), the session starts, and the user
 * goes where they were headed or to their home page.
 */
const OidcCallbackPage = () => {
  const navigate = useNavigate();
  const started = useRef(false);
  const [failure, setFailure] = useState<string>();
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    finishOidcSignIn(window.location.href)
      .then(({ me, from }) => navigate(from?.startsWith('/console/') && from !== PATHS.login ? from : homeFor(me), { replace: true }))
      .catch((e: unknown) => setFailure(messageOf(e)));
  }, [navigate]);
  if (!failure) return <PageLoading tip="正在完成登录…" />;
  return (
    <main style={{ maxWidth: 640, margin: '48px auto', padding: '0 16px' }}>
      <Flex vertical gap={16}>
        <Alert type="error" showIcon title="登录未完成" description={failure} />
        <Button type="primary" onClick={() => navigate(PATHS.login, { replace: true })}>
          返回登录页
        </Button>
      </Flex>
    </main>
  );
};
export default OidcCallbackPage;
