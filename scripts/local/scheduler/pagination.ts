// NextToken is the key of the last item returned, so pages stay consistent while items come and go.
import { invalid } from "./aws-error";
import type { ListQuery } from "./operation-context";

const MAX_RESULTS = 100;

export function paginate<T>(
  items: T[],
  keyOf: (item: T) => string,
  query: ListQuery,
): { page: T[]; nextToken?: string } {
  const limit = query.MaxResults === undefined ? MAX_RESULTS : Number(query.MaxResults);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RESULTS) {
    throw invalid(
      `1 validation error detected: Value '${query.MaxResults}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and ${MAX_RESULTS}`,
    );
  }
  const sorted = [...items].sort((a, b) => compare(keyOf(a), keyOf(b)));
  const after = query.NextToken === undefined ? undefined : decodeToken(query.NextToken);
  const remaining = after === undefined ? sorted : sorted.filter((item) => compare(keyOf(item), after) > 0);
  const page = remaining.slice(0, limit);
  const last = page.at(-1);
  return remaining.length > limit && last !== undefined
    ? { page, nextToken: Buffer.from(keyOf(last)).toString("base64url") }
    : { page };
}

function decodeToken(token: string): string {
  const key = Buffer.from(token, "base64url").toString("utf8");
  if (key.length === 0 || Buffer.from(key).toString("base64url") !== token)
    throw invalid("Invalid NextToken");
  return key;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
