import { ulid } from "ulid";
import * as z from "zod";
import { useOperator } from "../actor";
import * as Attempts from "../auth/attempts";
import { isConditionalFailure } from "../db";
import { VisibleError } from "../error";
import { fn } from "../fn";
import { useRequest } from "../request";
import { Password } from "../user";
import * as OperatorAudit from "./audit";
import { OperatorEntity } from "./operator.entity";
import * as OperatorSession from "./session";
import * as Totp from "./totp";

export const Info = z.object({ operatorId: z.string(), email: z.string(), name: z.string() });
export type Info = z.infer<typeof Info>;

export const Credentials = z.object({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(200),
});

const invalid = () => new VisibleError("auth.invalid_credentials", "Wrong email or password", 401);
const wrongCode = () => new VisibleError("operator.totp_invalid", "Wrong or already used code", 401);

let decoy: Promise<string> | undefined;
const spendTime = async (password: string) => {
  decoy ??= Password.hash("decoy-password-for-timing");
  await Password.verify(password, await decoy);
};

async function byEmail(email: string) {
  const { data } = await OperatorEntity.query.byEmail({ email }).go();
  return data[0];
}

/** Creates an operator with a fresh TOTP secret (the seed and `npm run operator:create` only). */
export async function create(input: { email: string; name: string; password: string; totpSecret?: string }) {
  const email = input.email.trim().toLowerCase();
  if (await byEmail(email))
    throw new VisibleError("operator.email_taken", `An operator with email ${email} exists`, 409);
  const totpSecret = input.totpSecret ?? Totp.newSecret();
  const operatorId = ulid();
  await OperatorEntity.create({
    operatorId,
    email,
    name: input.name,
    passwordHash: await Password.hash(input.password),
    totpSecret,
    status: "active",
  }).go();
  return { operatorId, email, totpSecret, uri: Totp.uriOf(totpSecret, email) };
}

/** The operator with this email, with its secret: for local tools (the seed, `operator:code`). */
export async function secretOf(email: string) {
  return (await byEmail(email.trim().toLowerCase()))?.totpSecret;
}

const accountKey = (email: string): [string, number] => [`operator:${email}`, Attempts.limits.account];
const ipKey = () => `ip:${useRequest().ip ?? "unknown"}`;

/**
 * First step: email and password, under the console's limits (counted before scrypt, attempts.ts). A
 * right password opens a `pending` session that opens nothing but the TOTP step.
 */
export const login = fn(Credentials, async (input) => {
  const account = accountKey(input.email);
  await Attempts.reserve([account, [ipKey(), Attempts.limits.ip]]);
  const operator = await byEmail(input.email);
  const valid = operator ? await Password.verify(input.password, operator.passwordHash) : false;
  if (!operator) await spendTime(input.password);
  if (!operator || !valid || operator.status !== "active") {
    if (operator)
      await OperatorAudit.record("operator.login_failed", {
        operator: { operatorId: operator.operatorId, name: operator.name },
        details: { step: "password" },
      });
    throw invalid();
  }
  return OperatorSession.open(operator.operatorId, true);
});

/**
 * Second step: the code of the authenticator app, counted against the same limit as passwords. A code
 * is accepted once: its step must be later than the last one used (a conditional write, so two requests
 * racing with one code cannot both pass). Success clears the count and opens the real session.
 */
export async function verifyTotp(pendingToken: string, code: string, now = new Date()) {
  const session = await OperatorSession.resume(pendingToken, now);
  if (!session.pending) throw new VisibleError("auth.required", "Please sign in", 401);
  const { data: operator } = await OperatorEntity.get({ operatorId: session.operatorId }).go();
  if (operator?.status !== "active") throw new VisibleError("auth.required", "Please sign in", 401);
  const account = accountKey(operator.email);
  const reservation = await Attempts.reserve([account, [ipKey(), Attempts.limits.ip]], now);
  const who = { operatorId: operator.operatorId, name: operator.name };
  const step = Totp.stepOf(operator.totpSecret, code.trim(), now.getTime());
  const failed = async (reason: string) => {
    await OperatorAudit.record("operator.login_failed", { operator: who, details: { step: "totp", reason } });
    return wrongCode();
  };
  if (step === undefined) throw await failed("wrong_code");
  try {
    await OperatorEntity.patch({ operatorId: operator.operatorId })
      .set({ lastTotpStep: step })
      .where(
        ({ lastTotpStep }, { notExists, lt }) => `${notExists(lastTotpStep)} OR ${lt(lastTotpStep, step)}`,
      )
      .go();
  } catch (error) {
    if (isConditionalFailure(error)) throw await failed("replayed");
    throw error;
  }
  await Attempts.succeeded(account, [ipKey()], reservation, now);
  await OperatorSession.close(pendingToken);
  const opened = await OperatorSession.open(operator.operatorId, false, now);
  await OperatorAudit.record("operator.login", { operator: who });
  return { ...opened, operator: { ...who, email: operator.email } };
}

export async function logout(token: string) {
  await OperatorAudit.record("operator.logout");
  await OperatorSession.close(token);
}

/** The operator signed in, for the console. */
export async function me(): Promise<Info> {
  const { operatorId } = useOperator();
  const { data } = await OperatorEntity.get({ operatorId }).go();
  if (!data) throw new VisibleError("auth.required", "Please sign in", 401);
  return { operatorId, email: data.email, name: data.name };
}
