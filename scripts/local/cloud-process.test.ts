import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { startCloudProcess } from "./cloud-process";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("startCloudProcess", () => {
  it("runs the emulated AWS services in a child process and stops them with DynamoDB Local", async () => {
    const cloud = await startCloudProcess({});
    const client = new DynamoDBClient({
      region: cloud.env.AWS_REGION,
      endpoint: cloud.env.AWS_ENDPOINT_URL_DYNAMODB,
      credentials: {
        accessKeyId: cloud.env.AWS_ACCESS_KEY_ID!,
        secretAccessKey: cloud.env.AWS_SECRET_ACCESS_KEY!,
      },
    });
    try {
      expect(cloud.pids.emulators).not.toBe(process.pid);
      expect(await client.send(new ListTablesCommand({}))).toHaveProperty("TableNames");
      const sms = await fetch(cloud.links.phone);
      expect(sms.status).toBe(200);
    } finally {
      client.destroy();
      await cloud.stop();
    }
    expect(alive(cloud.pids.emulators)).toBe(false);
    expect(alive(cloud.pids.dynamodb!)).toBe(false);
  }, 120_000);

  it("keeps its data in a folder given relative to the current one (LOCAL_DATA_DIR=.local)", async () => {
    const dir = mkdtempSync(join(process.cwd(), ".local-test-"));
    const cloud = await startCloudProcess({ dataDir: relative(process.cwd(), dir) });
    const client = new DynamoDBClient({
      region: cloud.env.AWS_REGION,
      endpoint: cloud.env.AWS_ENDPOINT_URL_DYNAMODB,
      credentials: {
        accessKeyId: cloud.env.AWS_ACCESS_KEY_ID!,
        secretAccessKey: cloud.env.AWS_SECRET_ACCESS_KEY!,
      },
    });
    try {
      await client.send(
        new CreateTableCommand({
          TableName: "relative-dir",
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
          KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        }),
      );
      expect((await client.send(new ListTablesCommand({}))).TableNames).toContain("relative-dir");
      expect(readdirSync(join(dir, "dynamodb")).some((file) => file.endsWith(".db"))).toBe(true);
    } finally {
      client.destroy();
      await cloud.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(existsSync(dir)).toBe(false);
  }, 120_000);
});
