import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { RouterProvider } from 'react-router';
import { ApiProblem } from '../api/problem';
import { router } from './routes';

dayjs.locale('zh-cn');

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // a refusal (4xx) will not change by asking again; network trouble and 5xx may
      retry: (failures, error) => failures < 2 && !(error instanceof ApiProblem && error.status >= 400 && error.status < 500),
    },
  },
});

/**
 * Government look: a restrained blue, Chinese locale everywhere (antd zh_CN, dayjs zh-cn). Text
 * colours are darkened where antd's defaults fall below WCAG AA contrast (4.5:1), which axe-core
 * checks on every page in the end-to-end tests; tag colours are adjusted in theme.css.
 */
const theme = {
  token: {
    colorPrimary: '#1f4e9c',
    colorInfo: '#1f4e9c',
    colorLink: '#1f4e9c',
    colorError: '#c62828',
    // hover and pressed shades stay dark enough for white button text (antd derives lighter ones)
    colorPrimaryHover: '#2a5cad',
    colorPrimaryActive: '#173d7a',
    colorErrorHover: '#b71c1c',
    colorErrorActive: '#8e1414',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    // Select shows its placeholder as text, which must be readable too
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)',
    borderRadius: 4,
    fontFamily: '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", system-ui, sans-serif',
  },
};

export const App = () => (
  // no space inserted between two Chinese characters of a button: the visible text stays part of its accessible name
  <ConfigProvider locale={zhCN} theme={theme} button={{ autoInsertSpace: false }}>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </ConfigProvider>
);
