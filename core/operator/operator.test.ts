import { randomInt } from "node:crypto";
import { ulid } from "ulid";
import { describe, expect, it } from "vitest";
import * as Attempts from "../auth/attempts";
import { withRequest } from "../request";
import * as Operator from "./operator";
import { OperatorEntity } from "./operator.entity";
import * as Totp from "./totp";

const PASSWORD = "Operateur-solide-42";
const ip = () => `10.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
/** Each test from its own address, so the per-IP limit of one test never refuses another's attempts. */
const fromOwnIp = <T>(run: () => Promise<T>) => withRequest({ ip: ip() }, run);

async function newOperator() {
  return Operator.create({
    email: `op-${ulid().toLowerCase()}@relais.test`,
    name: "Olga Opé",
    password: PASSWORD,
  });
}

describe("TOTP", () => {
  it("accepts the current code, the previous step's and the next step's, and no other", () => {
    const secret = Totp.newSecret();
    const now = Date.now();
    const step = Math.floor(now / 30_000);
    expect(Totp.stepOf(secret, Totp.codeOf(secret, now), now)).toBe(step);
    expect(Totp.stepOf(secret, Totp.codeOf(secret, now - 30_000), now)).toBe(step - 1);
    expect(Totp.stepOf(secret, Totp.codeOf(secret, now + 30_000), now)).toBe(step + 1);
    // Two steps away: outside the ±1 window (unless the codes happen to coincide, one chance in a million).
    const far = Totp.codeOf(secret, now - 90_000);
    if (![-1, 0, 1].some((delta) => Totp.codeOf(secret, now + delta * 30_000) === far))
      expect(Totp.stepOf(secret, far, now)).toBeUndefined();
    expect(Totp.stepOf(secret, "12345", now)).toBeUndefined();
    expect(Totp.stepOf(secret, "abcdef", now)).toBeUndefined();
  });

  it("gives authenticator apps a SHA-1, 6-digit, 30-second otpauth URI", () => {
    const uri = Totp.uriOf(Totp.newSecret(), "op@relais.test");
    expect(uri).toMatch(/^otpauth:\/\/totp\/Relais:op%40relais\.test\?/);
    expect(uri).toContain("algorithm=SHA1");
    expect(uri).toContain("digits=6");
    expect(uri).toContain("period=30");
  });
});

describe("operator sign-in", () => {
  it("opens a session only after the password and then the right code", () =>
    fromOwnIp(async () => {
      const created = await newOperator();
      const pending = await Operator.login({ email: created.email, password: PASSWORD });
      const opened = await Operator.verifyTotp(pending.token, Totp.codeOf(created.totpSecret));
      expect(opened.operator.operatorId).toBe(created.operatorId);
      expect(opened.token).not.toBe(pending.token);
    }));

  it("refuses a wrong password and a wrong code", () =>
    fromOwnIp(async () => {
      const created = await newOperator();
      await expect(
        Operator.login({ email: created.email, password: "nope-nope-nope" }),
      ).rejects.toMatchObject({
        code: "auth.invalid_credentials",
        status: 401,
      });
      const pending = await Operator.login({ email: created.email, password: PASSWORD });
      const right = Totp.codeOf(created.totpSecret);
      const wrong = right === "000000" ? "000001" : "000000";
      await expect(Operator.verifyTotp(pending.token, wrong)).rejects.toMatchObject({
        code: "operator.totp_invalid",
      });
    }));

  it("accepts a code once: the same code again, or an older step's, is refused", () =>
    fromOwnIp(async () => {
      const created = await newOperator();
      const now = new Date();
      const code = Totp.codeOf(created.totpSecret, now.getTime());
      const first = await Operator.login({ email: created.email, password: PASSWORD });
      await Operator.verifyTotp(first.token, code, now);
      const second = await Operator.login({ email: created.email, password: PASSWORD });
      await expect(Operator.verifyTotp(second.token, code, now)).rejects.toMatchObject({
        code: "operator.totp_invalid",
      });
      const older = Totp.codeOf(created.totpSecret, now.getTime() - 30_000);
      if (older !== code)
        await expect(Operator.verifyTotp(second.token, older, now)).rejects.toMatchObject({
          code: "operator.totp_invalid",
        });
      const { data } = await OperatorEntity.get({ operatorId: created.operatorId }).go();
      expect(data?.lastTotpStep).toBe(Math.floor(now.getTime() / 30_000));
    }));

  it("lets only one of two concurrent uses of a code through", () =>
    fromOwnIp(async () => {
      const created = await newOperator();
      const now = new Date();
      const code = Totp.codeOf(created.totpSecret, now.getTime());
      const a = await Operator.login({ email: created.email, password: PASSWORD });
      const b = await Operator.login({ email: created.email, password: PASSWORD });
      const results = await Promise.allSettled([
        Operator.verifyTotp(a.token, code, now),
        Operator.verifyTotp(b.token, code, now),
      ]);
      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    }));

  it("refuses the password step once the account's failures pass the console's limit, right password too", () =>
    fromOwnIp(async () => {
      const created = await newOperator();
      for (let attempt = 0; attempt < Attempts.limits.account; attempt++)
        await expect(
          Operator.login({ email: created.email, password: "wrong-wrong-1" }),
        ).rejects.toMatchObject({
          status: 401,
        });
      await expect(Operator.login({ email: created.email, password: PASSWORD })).rejects.toMatchObject({
        code: "auth.rate_limited",
        status: 429,
      });
    }));

  it("counts wrong codes against the same limit", () =>
    fromOwnIp(async () => {
      const created = await newOperator();
      const pending = await Operator.login({ email: created.email, password: PASSWORD });
      const right = Totp.codeOf(created.totpSecret);
      const wrong = right === "000000" ? "000001" : "000000";
      let refused: unknown;
      for (let attempt = 0; attempt < Attempts.limits.account + 1 && !refused; attempt++)
        refused = await Operator.verifyTotp(pending.token, wrong).then(
          () => undefined,
          (error: { status: number }) => (error.status === 429 ? error : undefined),
        );
      expect(refused).toMatchObject({ code: "auth.rate_limited" });
      await expect(Operator.verifyTotp(pending.token, right)).rejects.toMatchObject({ status: 429 });
    }));
});
