/** Current time as the ISO-8601 UTC string stored and sent on the wire. */
export function nowIso(): string {
  return new Date().toISOString();
}

export function isoIn(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}
