import { describe, expect, it } from "vitest";
import { MessageEntity } from "./campaign/campaign.entity";
import { leanUpdate, type UpdateParams } from "./db";

const key = { companyId: "c1", campaignId: "k1", messageId: "m1" };
const identity = ["companyId", "campaignId", "messageId"];
const record = () =>
  MessageEntity.patch(key)
    .set({ status: "sent", rank: 2, providerMessageId: "p1", updatedAt: "2026-01-01T00:00:00.000Z" })
    .where((attr, { eq }) => `${eq(attr.status, "sending")} AND ${eq(attr.attemptId, "a1")}`)
    .params() as UpdateParams;

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
