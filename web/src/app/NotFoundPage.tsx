import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { BASE } from './paths';

const NotFoundPage = () => {
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="页面不存在"
      subTitle="您访问的页面不存在或已移动。"
      extra={
        <Button type="primary" onClick={() => navigate(BASE)}>
          返回首页
        </Button>
      }
    />
  );
};
export default NotFoundPage;
