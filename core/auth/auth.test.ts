import { ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { withActor } from "../actor";
import { newCompany, type TestCompany, throttleDynamo } from "../test-helpers";
import { epochSeconds, hashToken, newToken } from "../token";
import { User } from "../user";
import * as Auth from "./auth";
import { ResetTokenEntity } from "./session.entity";

let company: TestCompany;
beforeAll(async () => {
  company = await newCompany();
});

/** A reset link for the company's Admin, as forgotPassword stores it (the token itself is emailed). */
async function resetLink() {
  const token = newToken();
  const validUntil = new Date(Date.now() + 3_600_000);
  const admin = await asSystem(() => User.byId(company.admin.userId));
  await ResetTokenEntity.create({
    tokenHash: hashToken(token),
    companyId: company.companyId,
    userId: company.admin.userId,
    validUntil: validUntil.toISOString(),
    passwordStamp: Auth.passwordStamp(admin?.passwordHash),
    expiresAt: epochSeconds(validUntil) + 86_400,
  }).go();
  return token;
}

const asSystem = <T>(run: () => Promise<T>) =>
  withActor({ type: "system", companyId: company.companyId, reason: "test" }, run);

const marksUsed = (command: { constructor: { name: string }; input: unknown }) =>
  command.constructor.name === "UpdateCommand" &&
  Object.values(
    (command.input as { ExpressionAttributeNames?: object }).ExpressionAttributeNames ?? {},
  ).includes("usedAt");

describe("Auth.resetPassword", () => {
  it("lets a throttled write through as an error, and the link still works afterwards", async () => {
    const token = await resetLink();
    const throttled = throttleDynamo(marksUsed);

    const error = await Auth.resetPassword({ token, password: "Nouveau-mot-de-passe-7" }).catch(
      (thrown: unknown) => thrown,
    );
    // ElectroDB wraps the SDK error; what matters is that it is the throttle, not a business error.
    expect(error).toMatchObject({ cause: expect.any(ProvisionedThroughputExceededException) });

    throttled.mockRestore();
    await expect(Auth.resetPassword({ token, password: "Nouveau-mot-de-passe-7" })).resolves.toBeUndefined();
  });

  it("refuses a link used already with a 410", async () => {
    const token = await resetLink();
    await Auth.resetPassword({ token, password: "Nouveau-mot-de-passe-8" });

    await expect(Auth.resetPassword({ token, password: "Nouveau-mot-de-passe-9" })).rejects.toMatchObject({
      code: "token.expired",
      status: 410,
    });
  });

  it("refuses an older link once a newer one was used, saying why", async () => {
    const older = await resetLink();
    const newer = await resetLink();
    await Auth.resetPassword({ token: newer, password: "Nouveau-mot-de-passe-10" });

    await expect(
      Auth.resetPassword({ token: older, password: "Nouveau-mot-de-passe-11" }),
    ).rejects.toMatchObject({
      code: "token.superseded",
      status: 410,
      message: expect.stringMatching(/password was changed/),
    });
  });

  it("refuses a link once the password changed by other means", async () => {
    const token = await resetLink();
    await asSystem(() => User.setPassword(company.admin.userId, "Change-ailleurs-2026", company.admin.email));

    await expect(Auth.resetPassword({ token, password: "Nouveau-mot-de-passe-12" })).rejects.toMatchObject({
      code: "token.superseded",
      status: 410,
    });
  });
});
