import type { RequestBody } from '../../api/views';

/** What the console reads from the rule and calendar routes (responses are not in the contracts yet). */
export interface RuleVersion {
  ruleId: string;
  versionId: string;
  /** 'default' for the product's shipped version, otherwise an agency id */
  jurisdiction: string;
  effectiveFrom: string;
  effectiveTo?: string;
  title: string;
  parameters: Record<string, unknown>;
  source: { seed: string; article: string; ref: string };
  publishedAt: string;
  publishedBy: string;
  note?: string;
}

export interface CalendarYearSummary {
  year: number;
  notice: { title: string; number: string; publishedOn: string };
  version: number;
}
export type PublishYearBody = RequestBody<'/calendar/years/{year}', 'put'>;
export interface CalendarYear extends PublishYearBody {
  year: number;
  version: number;
  publishedAt?: string;
}
