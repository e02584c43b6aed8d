import {
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { describe, expect, it } from "vitest";
import { MessageEntity } from "./campaign/campaign.entity";
import { config } from "./config";
import { BatchWriter, isConditionalFailure, lazy, leanUpdate, type UpdateParams } from "./db";
import { documents } from "./platform/clients";

const key = { companyId: "c1", campaignId: "k1", messageId: "m1" };
const identity = ["companyId", "campaignId", "messageId"];
const record = () =>
  MessageEntity.patch(key)
    .set({ status: "sent", rank: 2, providerMessageId: "p1", updatedAt: "2026-01-01T00:00:00.000Z" })
    .where((attr, { eq }) => `${eq(attr.status, "sending")} AND ${eq(attr.attemptId, "a1")}`)
    .params() as UpdateParams;

describe("lazy", () => {
  it("builds the object on first use, once, and calls its methods on the object itself", () => {
    let builds = 0;
    class Counter {
      count = 0;
      add(step: number) {
        this.count += step;
        return this;
      }
    }
    const counter = lazy(() => {
      builds++;
      return new Counter();
    });
    expect(builds).toBe(0);
    const self = counter.add(2);
    expect(builds).toBe(1);
    expect(self).toBeInstanceOf(Counter);
    expect(self).not.toBe(counter);
    expect(counter.add).toBe(counter.add);
    expect(counter.count).toBe(2);
    expect(counter).toBeInstanceOf(Counter);
    expect(Object.keys(counter)).toEqual(["count"]);
    expect("add" in counter).toBe(true);
    expect(builds).toBe(1);
  });

  it("builds ElectroDB entities that behave as eager ones", () => {
    expect(MessageEntity.schema.model.entity).toBe("message");
    expect(record().Key).toEqual(MessageEntity.patch(key).set({ rank: 2 }).params<UpdateParams>().Key);
  });
});

describe("leanUpdate", () => {
  it("leaves out the identity ElectroDB's patch writes again, and nothing else", () => {
    const lean = leanUpdate(record(), identity);

    expect(lean.UpdateExpression).toBe(
      "SET #status = :status_u0, #rank = :rank_u0, #providerMessageId = :providerMessageId_u0, " +
        "#updatedAt = :updatedAt_u0, #gsi2pk = :gsi2pk_u0, #gsi2sk = :gsi2sk_u0",
    );
    expect(lean.ConditionExpression).toBe(record().ConditionExpression);
    expect(lean.Key).toEqual(record().Key);
    expect(Object.keys(lean.ExpressionAttributeValues ?? {})).not.toContain(":companyId_u0");
    expect(Object.values(lean.ExpressionAttributeNames ?? {})).not.toContain("__edb_e__");
    expect(lean.ExpressionAttributeValues?.[":attemptId0"]).toBe("a1");
  });

  it("keeps an update whole when its condition does not require the item to exist", () => {
    const update = { ...record(), ConditionExpression: "#status = :status0" };

    expect(leanUpdate(update, identity)).toBe(update);
  });
});

describe("BatchWriter", () => {
  /**
   * DynamoDB under load hands some items of a request back unprocessed; DynamoDB Local never does, so a
   * write plays it: it leaves out the last `left(call)` items of each request and returns them unprocessed.
   */
  function handingBack(left: (call: number) => number) {
    let calls = 0;
    const write = async (input: BatchWriteCommandInput) => {
      const [table, puts] = Object.entries(input.RequestItems ?? {})[0]!;
      const kept = puts.slice(0, puts.length - left(++calls));
      if (kept.length > 0) await documents().send(new BatchWriteCommand({ RequestItems: { [table]: kept } }));
      const rest = puts.slice(kept.length);
      return { UnprocessedItems: rest.length > 0 ? { [table]: rest } : {} };
    };
    return { write, calls: () => calls };
  }
  const items = (pk: string, count: number) =>
    Array.from({ length: count }, (_, index) => ({ pk, sk: `item#${index}`, n: index }));
  const stored = async (pk: string) => {
    const { Items = [] } = await documents().send(
      new QueryCommand({
        TableName: config("TABLE_NAME"),
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": pk },
      }),
    );
    return Items.length;
  };

  it("sends unprocessed items again until every one is written", async () => {
    const pk = `test-batch-writer-${ulid()}`;
    // The first two requests leave 7 and 3 items unprocessed; their retries go through.
    const dynamoDb = handingBack((call) => [7, 3][call - 1] ?? 0);
    await new BatchWriter(2, { backoffMs: 1, write: dynamoDb.write }).put(items(pk, 60));
    // Handed back, then sent again with what was still waiting: 25 + 25 + (10 + 7 + 3).
    expect(await stored(pk)).toBe(60);
    expect(dynamoDb.calls()).toBe(3);
  });

  it("deletes by key in the same requests as puts, sending unprocessed deletes again", async () => {
    const pk = `test-batch-writer-${ulid()}`;
    await new BatchWriter(1).put(items(pk, 30));
    const dynamoDb = handingBack((call) => [4][call - 1] ?? 0);
    const writer = new BatchWriter(1, { backoffMs: 1, write: dynamoDb.write });
    const gone = items(pk, 20).map(({ pk, sk }) => ({ pk, sk }));
    await Promise.all([writer.remove(gone), writer.put([{ pk, sk: "item#new" }])]);
    expect(await stored(pk)).toBe(11);
  });

  it("gives up, naming how many, when items stay unprocessed", async () => {
    const pk = `test-batch-writer-${ulid()}`;
    const dynamoDb = handingBack(() => 2);
    const writer = new BatchWriter(1, { backoffMs: 1, maxAttempts: 3, write: dynamoDb.write });
    await expect(writer.put(items(pk, 5))).rejects.toThrow(/2 item\(s\) not written after 3 attempts/);
    expect(await stored(pk)).toBe(3);
  });
});

describe("isConditionalFailure", () => {
  const failureOf = (run: () => Promise<unknown>) =>
    run().then(
      () => undefined,
      (error: unknown) => error,
    );

  it("recognises a refused condition through ElectroDB's wrapping", async () => {
    const error = await failureOf(() =>
      MessageEntity.patch({ companyId: `c-${ulid()}`, campaignId: "k", messageId: "m" })
        .set({ status: "sent" })
        .go(),
    );

    expect(isConditionalFailure(error)).toBe(true);
  });

  it("recognises a transaction the SDK cancelled for a refused condition", async () => {
    const error = await failureOf(() =>
      documents().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: config("TABLE_NAME"),
                Key: { pk: `test-missing-${ulid()}`, sk: "x" },
                ConditionExpression: "attribute_exists(pk)",
              },
            },
            { Put: { TableName: config("TABLE_NAME"), Item: { pk: `test-tx-${ulid()}`, sk: "x" } } },
          ],
        }),
      ),
    );

    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect(isConditionalFailure(error)).toBe(true);
  });

  it("does not take throttling for a refused condition, alone or inside a cancelled transaction", () => {
    const throttled = new ProvisionedThroughputExceededException({ message: "slow down", $metadata: {} });
    const cancelled = new TransactionCanceledException({
      message: "Transaction cancelled [ThrottlingError, None]",
      $metadata: {},
      CancellationReasons: [{ Code: "ThrottlingError" }, { Code: "None" }],
    });

    expect(isConditionalFailure(throttled)).toBe(false);
    expect(isConditionalFailure(cancelled)).toBe(false);
    expect(isConditionalFailure(new Error("wrapped", { cause: throttled }))).toBe(false);
  });
});
