import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { config } from "./config";
import { documents, dynamo } from "./platform/clients";

/** What every ElectroDB entity and service is constructed with: the shared document client. */
export const entityConfig = () => ({ client: documents() });

/**
 * Entities are built when their module loads, before tests or the local runner have set TABLE_NAME, and
 * some importers (the stack tests reading the API's routes) never set it: read the name at each call.
 */
export function onTable<E>(entity: E): E {
  const target = (entity as unknown as { config: object }).config;
  Object.defineProperty(target, "table", {
    get: () => config("TABLE_NAME"),
    configurable: true,
    enumerable: true,
  });
  return entity;
}

export async function probe() {
  const result = await dynamo().send(new DescribeTableCommand({ TableName: config("TABLE_NAME") }));
  return { status: result.Table?.TableStatus ?? "UNKNOWN", items: result.Table?.ItemCount ?? 0 };
}

/**
 * A write refused by its condition: ElectroDB wraps DynamoDB's ConditionalCheckFailedException, and a
 * cancelled transaction (see `transact`) names it among its reasons. Callers turn it into a business error.
 */
export function isConditionalFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof TransactionCanceled) {
      return current.reasons.some((reason) => reason.code === "ConditionalCheckFailed");
    }
    if (current instanceof Error && current.name === "ConditionalCheckFailedException") return true;
    if (current instanceof Error && /conditional request failed/i.test(current.message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** ElectroDB reports a cancelled transaction in its result instead of throwing: make it throw. */
export class TransactionCanceled extends Error {
  constructor(readonly reasons: Array<{ code: string }>) {
    super(`TransactionCanceled: ${reasons.map((reason) => reason.code).join(", ")}`);
    this.name = "TransactionCanceled";
  }
}

export async function transact(
  run: Promise<{ canceled: boolean; data: Array<{ rejected: boolean; code: string }> }>,
) {
  const result = await run;
  if (result.canceled) throw new TransactionCanceled(result.data.filter((item) => item.rejected));
  return result;
}
