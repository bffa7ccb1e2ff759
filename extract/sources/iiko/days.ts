/**
 * Business days: which days a run reads for a server. Days are calendar dates (yyyy-mm-dd) in
 * the server's own time zone; "yesterday" is the last day that can be complete there.
 */

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** Today's date where the server is. */
export function localToday(timezone: string, now = new Date()): string {
  // en-CA formats as yyyy-mm-dd.
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export function localYesterday(timezone: string, now = new Date()): string {
  return addDays(localToday(timezone, now), -1);
}

/**
 * Without dates: from the day after the last complete day, stepping back `rereadDays` to pick up
 * late closes, deletions and returns, up to yesterday. A first run reads the last `rereadDays` days.
 */
export function defaultDays(lastComplete: string | undefined, rereadDays: number, yesterday: string): string[] {
  const reread = Math.max(rereadDays, 1);
  const newest = lastComplete && lastComplete < yesterday ? lastComplete : yesterday;
  const from = lastComplete ? addDays(newest, 1 - reread) : addDays(yesterday, 1 - reread);
  return daysBetween(from, yesterday);
}

/**
 * The cursor after a day has landed: it moves only over an unbroken run of loaded days (a failed
 * day holds it, so the next run reads that day again) and never past yesterday (today is not complete).
 */
export function advanceCursor(lastComplete: string, day: string, yesterday: string): string {
  if (day > addDays(lastComplete, 1) || day <= lastComplete) return lastComplete;
  return day <= yesterday ? day : lastComplete;
}
