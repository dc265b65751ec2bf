/**
 * One clock for the whole product. Times are ISO 8601 with the Asia/Shanghai offset (+08:00),
 * because every calendar rule (RULES.md counting conventions) is reckoned in China's local date.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

const SHANGHAI_OFFSET_MINUTES = 8 * 60; // China has no daylight saving time.

/** `2026-11-23T17:05:09.123+08:00` */
export const toShanghaiIso = (d: Date): string => {
  const shifted = new Date(d.getTime() + SHANGHAI_OFFSET_MINUTES * 60_000);
  return shifted.toISOString().replace('Z', '+08:00');
};

/** The local calendar date in Shanghai, `YYYY-MM-DD`. */
export const shanghaiDate = (d: Date): string => toShanghaiIso(d).slice(0, 10);

export const nowIso = (clock: Clock): string => toShanghaiIso(clock.now());
