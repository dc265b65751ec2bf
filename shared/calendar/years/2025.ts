import type { YearCalendar } from '../calendar.ts';

/**
 * 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）, dated and released
 * 2024-11-12. It applies the 全国年节及纪念日放假办法 as revised in November 2024: from 2025-01-01
 * 春节 and 劳动节 each gain one statutory day (春节 now 除夕 to 初三, 劳动节 5月1日–2日), so 春节 runs
 * from 除夕 for 8 days and 劳动节 5 days with a single make-up day. Transcribed as the notice states it:
 *   一、元旦：1月1日（周三）放假1天，不调休。
 *   二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。
 *       1月26日（周日）、2月8日（周六）上班。
 *   三、清明节：4月4日（周五）至6日（周日）放假，共3天。
 *   四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
 *   五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
 *   六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
 * 中秋节 (10月6日) falls inside 国庆节 and the notice merges them into one period under one
 * heading: it is kept as one period named as the notice names it.
 */
export const CALENDAR_2025: YearCalendar = {
  year: 2025,
  notice: { title: '国务院办公厅关于2025年部分节假日安排的通知', number: '国办发明电〔2024〕12号', publishedOn: '2024-11-12' },
  holidays: [
    { name: '元旦', dates: ['2025-01-01'] },
    { name: '春节', dates: ['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04'] },
    { name: '清明节', dates: ['2025-04-04', '2025-04-05', '2025-04-06'] },
    { name: '劳动节', dates: ['2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04', '2025-05-05'] },
    { name: '端午节', dates: ['2025-05-31', '2025-06-01', '2025-06-02'] },
    { name: '国庆节、中秋节', dates: ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08'] },
  ],
  makeupWorkdays: [
    { date: '2025-01-26', name: '春节' },
    { date: '2025-02-08', name: '春节' },
    { date: '2025-04-27', name: '劳动节' },
    { date: '2025-09-28', name: '国庆节、中秋节' },
    { date: '2025-10-11', name: '国庆节、中秋节' },
  ],
  version: 1,
};
