import { ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { type Actor, withActor } from "../actor";
import { newCompany, type TestCompany, throttleDynamo } from "../test-helpers";
import { Campaign } from ".";

let company: TestCompany;
let admin: Actor;
beforeAll(async () => {
  company = await newCompany();
  admin = {
    type: "user",
    companyId: company.companyId,
    userId: company.admin.userId,
    role: "admin",
    agencyIds: [company.agencies[0]],
    name: "Alice",
  };
});
const asAdmin = <T>(run: () => Promise<T>) => withActor(admin, run);

/** A question for tomorrow, so nothing is sent while the test runs. */
const scheduled = () =>
  asAdmin(() =>
    Campaign.create({
      kind: "yesno",
      title: "Mission demain",
      agencyId: company.agencies[0],
      smsBody: "Dispo demain ? OUI ou NON",
      recipients: { entries: ["06 12 34 56 78"] },
      sendAt: new Date(Date.now() + 86_400_000).toISOString(),
    }),
  );

/** The campaign write a verb makes: an update naming `attribute` among the attributes it sets. */
const updating = (attribute: string) => (command: { constructor: { name: string }; input: unknown }) =>
  command.constructor.name === "UpdateCommand" &&
  Object.values(
    (command.input as { ExpressionAttributeNames?: object }).ExpressionAttributeNames ?? {},
  ).includes(attribute);

describe("Campaign.cancel", () => {
  it("lets a throttled write through as an error, not as « can no longer be cancelled »", async () => {
    const { campaignId } = await scheduled();
    throttleDynamo(updating("status"));

    const error = await asAdmin(() => Campaign.cancel(campaignId)).catch((thrown: unknown) => thrown);

    // ElectroDB wraps the SDK error; what matters is that it is the throttle, not a business error.
    expect(error).toMatchObject({ cause: expect.any(ProvisionedThroughputExceededException) });
  });

  it("refuses a campaign already cancelled with a 409", async () => {
    const { campaignId } = await scheduled();
    await asAdmin(() => Campaign.cancel(campaignId));

    await expect(asAdmin(() => Campaign.cancel(campaignId))).rejects.toMatchObject({
      code: "campaign.not_cancellable",
      status: 409,
    });
  });
});

describe("Campaign.reschedule", () => {
  it("lets a throttled write through as an error, and the campaign can still be moved", async () => {
    const { campaignId } = await scheduled();
    const sendAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const throttled = throttleDynamo(updating("sendAt"));

    const error = await asAdmin(() => Campaign.reschedule({ campaignId, sendAt })).catch(
      (thrown: unknown) => thrown,
    );
    // ElectroDB wraps the SDK error; what matters is that it is the throttle, not a business error.
    expect(error).toMatchObject({ cause: expect.any(ProvisionedThroughputExceededException) });

    throttled.mockRestore();
    await expect(asAdmin(() => Campaign.reschedule({ campaignId, sendAt }))).resolves.toEqual({ sendAt });
  });

  it("refuses a campaign that is no longer scheduled with a 409", async () => {
    const { campaignId } = await scheduled();
    await asAdmin(() => Campaign.cancel(campaignId));

    await expect(
      asAdmin(() =>
        Campaign.reschedule({ campaignId, sendAt: new Date(Date.now() + 86_400_000).toISOString() }),
      ),
    ).rejects.toMatchObject({ code: "campaign.not_reschedulable", status: 409 });
  });
});
