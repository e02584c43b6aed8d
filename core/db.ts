import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { config } from "./config";
import { documents, dynamo } from "./platform/clients";

/** What every ElectroDB entity is constructed with: the single table and the shared document client. */
export const entityConfig = () => ({ table: config("TABLE_NAME"), client: documents() });

export async function probe() {
  const result = await dynamo().send(new DescribeTableCommand({ TableName: config("TABLE_NAME") }));
  return { status: result.Table?.TableStatus ?? "UNKNOWN", items: result.Table?.ItemCount ?? 0 };
}

/** ElectroDB wraps DynamoDB's ConditionalCheckFailedException; callers turn it into a business error. */
export function isConditionalFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof Error && current.name === "ConditionalCheckFailedException") return true;
    if (current instanceof Error && /conditional request failed/i.test(current.message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
