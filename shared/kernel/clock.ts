/**
 * One clock for the whole product. Times are ISO 8601 with the Asia/Shanghai offset (+08:00),
 * because every calendar rule (docs/rules.md §3 counting conventions) is reckoned in China's local date.
 */
export interface Clock {
  now(): Date;
}

const realClock: Clock = { now: () => new Date() };
let active: Clock = realClock;

/**
 * The clock every use case reads. In Lambda it is the real clock. The embedded platform may install
 * another one (infra/local/clock.ts: demo time running faster, or a manual clock that tests move),
 * so that rules, deadlines and the local state-machine runner all see the same "now".
 */
export const systemClock: Clock = { now: () => active.now() };

export const installClock = (c: Clock | undefined) => {
  active = c ?? realClock;
};

const SHANGHAI_OFFSET_MINUTES = 8 * 60; // China has no daylight saving time.

/** `2026-11-23T17:05:09.123+08:00` */
export const toShanghaiIso = (d: Date): string => {
  const shifted = new Date(d.getTime() + SHANGHAI_OFFSET_MINUTES * 60_000);
  return shifted.toISOString().replace('Z', '+08:00');
};

/** The local calendar date in Shanghai, `YYYY-MM-DD`. */
export const shanghaiDate = (d: Date): string => toShanghaiIso(d).slice(0, 10);

export const nowIso = (clock: Clock): string => toShanghaiIso(clock.now());
