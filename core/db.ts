import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { config } from "./config";
import { documents, dynamo } from "./platform/clients";

/** What every ElectroDB entity is constructed with: the single table and the shared document client. */
export const entityConfig = () => ({ table: config("TABLE_NAME"), client: documents() });

export async function probe() {
  const result = await dynamo().send(new DescribeTableCommand({ TableName: config("TABLE_NAME") }));
  return { status: result.Table?.TableStatus ?? "UNKNOWN", items: result.Table?.ItemCount ?? 0 };
}
