/**
 * Dates as agencies write them: 2026年12月4日. The API sends calendar dates as `YYYY-MM-DD` and
 * instants as ISO 8601 with the +08:00 offset (rules are computed in Asia/Shanghai), so instants are
 * shown in Asia/Shanghai whatever the browser's own time zone is.
 */
const SHANGHAI = 'Asia/Shanghai';
const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2026-12-04` or an ISO instant → `2026年12月4日`; anything else is returned as it is. */
export const formatDate = (value: string | undefined | null): string => {
  if (!value) return '—';
  const m = dateOnly.exec(value);
  if (m) return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
  const t = Date.parse(value);
  if (Number.isNaN(t)) return value;
  const parts = shanghaiParts(t);
  return `${parts.year}年${parts.month}月${parts.day}日`;
};

/** `2026-12-25` → `2026年12月25日（星期五）` */
export const formatDateWithWeekday = (value: string | undefined | null): string => {
  if (!value) return '—';
  const m = dateOnly.exec(value);
  if (!m) return formatDate(value);
  const weekday = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay();
  return `${formatDate(value)}（${WEEKDAYS[weekday]}）`;
};

/** ISO instant → `2026年12月4日 22:27` (Asia/Shanghai). */
export const formatDateTime = (value: string | undefined | null): string => {
  if (!value) return '—';
  const t = Date.parse(value);
  if (Number.isNaN(t)) return value;
  const p = shanghaiParts(t);
  return `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}`;
};

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: SHANGHAI,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const shanghaiParts = (t: number) => {
  const out: Record<string, string> = {};
  for (const p of partsFormat.formatToParts(new Date(t))) out[p.type] = p.value;
  return { year: out.year ?? '', month: String(Number(out.month)), day: String(Number(out.day)), hour: out.hour ?? '00', minute: out.minute ?? '00' };
};

/** Today in Asia/Shanghai as `YYYY-MM-DD`. */
export const shanghaiToday = (now = Date.now()): string => {
  const p = shanghaiParts(now);
  return `${p.year}-${p.month.padStart(2, '0')}-${p.day.padStart(2, '0')}`;
};

/** A rule period: `{ value: 15, unit: 'workingDays' }` → `15 个工作日`. */
export const formatPeriod = (p: { value?: number; amount?: number; unit: string } | undefined): string => {
  if (!p) return '—';
  const n = p.value ?? p.amount ?? 0;
  switch (p.unit) {
    case 'workingDays':
      return `${n} 个工作日`;
    case 'calendarDays':
      return `${n} 日（自然日）`;
    case 'months':
      return `${n} 个月`;
    default:
      return `${n} ${p.unit}`;
  }
};

/** How date pickers show a date (dayjs format): 2026年12月4日. */
export const DATE_INPUT_FORMAT = 'YYYY年M月D日';
