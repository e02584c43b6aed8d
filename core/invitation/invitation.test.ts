import { ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { newCompany, type TestCompany, throttleDynamo } from "../test-helpers";
import { hashToken, newToken } from "../token";
import { Invitation } from ".";
import { InvitationEntity } from "./invitation.entity";

let company: TestCompany;
beforeAll(async () => {
  company = await newCompany();
});

/** A pending invitation, as Invitation.create stores it (the token itself is sent to the person). */
async function invitation() {
  const token = newToken();
  const invitationId = ulid();
  await InvitationEntity.create({
    companyId: company.companyId,
    invitationId,
    tokenHash: hashToken(token),
    channel: "email",
    email: `invite-${ulid().toLowerCase()}@example.fr`,
    role: "user",
    agencyIds: [company.agencies[0]],
    validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    invitedByUserId: company.admin.userId,
    invitedByName: "Alice Admin",
  }).go();
  return { token, key: { companyId: company.companyId, invitationId } };
}

const registration = (token: string) => ({
  token,
  firstName: "Camille",
  lastName: "Martin",
  password: "Mot-de-passe-solide-12",
  acceptTerms: true as const,
});

const accepting = (command: { constructor: { name: string }; input: unknown }) =>
  command.constructor.name === "UpdateCommand" &&
  Object.values(
    (command.input as { ExpressionAttributeValues?: object }).ExpressionAttributeValues ?? {},
  ).includes("accepted");

describe("Invitation.accept", () => {
  it("lets a throttled write through as an error, and leaves the invitation pending", async () => {
    const { token, key } = await invitation();
    throttleDynamo(accepting);

    const error = await Invitation.accept(registration(token)).catch((thrown: unknown) => thrown);

    // ElectroDB wraps the SDK error; what matters is that it is the throttle, not a business error.
    expect(error).toMatchObject({ cause: expect.any(ProvisionedThroughputExceededException) });
    expect((await InvitationEntity.get(key).go()).data?.status).toBe("pending");
  });

  it("creates one account, and refuses the link a second time with a 410", async () => {
    const { token } = await invitation();
    await expect(Invitation.accept(registration(token))).resolves.toMatchObject({
      companyId: company.companyId,
    });

    await expect(Invitation.accept(registration(token))).rejects.toMatchObject({
      code: "invitation.used",
      status: 410,
    });
  });
});
