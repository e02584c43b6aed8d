import { describe, expect, it } from "vitest";
import { MessageEntity } from "../campaign/campaign.entity";
import { leanUpdate, type UpdateParams } from "../db";
import { recordUpdate } from "./send";
import { rank } from "./status";

describe("the send's record", () => {
  it("is the update ElectroDB's patch would write, less the identity", () => {
    process.env.TABLE_NAME ??= "relais-test";
    const key = { companyId: "01JCOMPANY", campaignId: "01JCAMPAIGN", messageId: "01JMESSAGE" };
    const values = {
      providerMessageId: "Ab-12cd",
      attemptId: "01JATTEMPT",
      attempts: 2,
      firstAttemptAt: "2026-11-25T08:00:00.000Z",
      sentAt: "2026-11-25T09:00:00.000Z",
      question: true,
    };
    const electro = MessageEntity.patch(key)
      .set({ status: "sent", rank: rank.sent, ...values, updatedAt: values.sentAt })
      .where(
        (attr, { eq, ne, notExists }) =>
          `(${eq(attr.status, "scheduled")} OR ${eq(attr.status, "sending")}) AND (${notExists(attr.attemptId)} OR ${ne(attr.attemptId, values.attemptId)})`,
      )
      .params() as UpdateParams;
    const lean = leanUpdate(electro, ["companyId", "campaignId", "messageId"]);
    const ours = recordUpdate(key, values);

    expect(ours.Key).toEqual(lean.Key);
    expect(ours.ConditionExpression).toBe(lean.ConditionExpression);
    expect(ours.ExpressionAttributeValues).toEqual(lean.ExpressionAttributeValues);
    expect(ours.ExpressionAttributeNames).toEqual(lean.ExpressionAttributeNames);
    expect(ours.UpdateExpression?.split(", ").sort()).toEqual(lean.UpdateExpression?.split(", ").sort());
  });
});
