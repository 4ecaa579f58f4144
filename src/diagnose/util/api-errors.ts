/** Classifies Kube errors for the snapshot reader: a refused list is empty, not a failure. */
function statusOf(err: unknown, depth = 0): number | undefined {
  if (!err || typeof err !== "object" || depth > 5) return undefined;
  const e = err as { code?: unknown; statusCode?: unknown; status?: unknown; cause?: unknown };
  for (const v of [e.code, e.statusCode, e.status]) if (typeof v === "number") return v;
  return statusOf(e.cause, depth + 1);
}

/** 404 (no such kind / CRD) or 403 (RBAC), from a status code anywhere in the cause chain, or the message. */
export function isMissingOrForbidden(err: unknown): boolean {
  const status = statusOf(err);
  if (status !== undefined) return status === 404 || status === 403;
  const message = err instanceof Error ? err.message : String(err);
  return /\b(403|404)\b|forbidden|not found|could not find the requested resource|no matches for kind|has no kind|server doesn't have a resource type/i.test(
    message,
  );
}
