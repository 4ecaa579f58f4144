/** The report's time format: ISO-8601 UTC with milliseconds. */
export const iso = (ms: number): string => new Date(ms).toISOString();
