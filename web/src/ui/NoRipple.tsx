import { ConfigProvider } from 'antd';
import type { ReactNode } from 'react';

/**
 * Turns off antd's click ripple ("wave") inside a form: on a button re-rendered while the ripple
 * runs, Chromium left its transition running, so the page never settled for the end-to-end tests'
 * accessibility check; the ripple is decoration only. (For the same reason submit buttons here are
 * disabled while a request runs rather than given `loading`: a loading icon whose leave motion was
 * interrupted by a quick answer stayed spinning, invisible, for ever.)
 */
export const NoRipple = ({ children }: { children: ReactNode }) => <ConfigProvider wave={{ disabled: true }}>{children}</ConfigProvider>;
