import { users } from "../accounts/client";
import type { UserSummary } from "../accounts/types";
import { useResource } from "../components/use-resource";

/**
 * The company's users I may see, for the managers and evaluators pickers and for names in the tables.
 * Users who may not list users (evaluators) get an empty list; the campaign's own `people` name its
 * managers and evaluators for them.
 */
export function useUserNames(people: Array<{ userId: string; name: string }> = []): {
  users: UserSummary[];
  name: (userId: string | undefined) => string | undefined;
} {
  const list = useResource(() =>
    users.list({ status: "active" }).catch(() => ({ items: [] as UserSummary[] })),
  );
  const items = list.data?.items ?? [];
  const names = new Map(people.map((person) => [person.userId, person.name]));
  for (const user of items) names.set(user.userId, `${user.firstName} ${user.lastName}`.trim());
  return { users: items, name: (userId) => (userId ? names.get(userId) : undefined) };
}
