import { DescribePhoneNumbersCommand } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { beforeAll, describe, expect, it } from "vitest";
import { smsVoice } from "../../core/platform/clients";
import { addUser, type Browser, loggedIn, newCompany, operatorSignedIn, type TestCompany } from "./testing";

/** Quiet hours, rates and SMS identities: Admin only, checked, and used by the next campaigns. */
let company: TestCompany;
let admin: Browser;
let user: Browser;
beforeAll(async () => {
  company = await newCompany();
  admin = await loggedIn(company, company.admin.email);
  user = await loggedIn(company, (await addUser(company, "manager", [company.agencies[0]])).email);
});

const sms = () => process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2!;
const mobile = () => `+33615${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;

describe("delivery settings", () => {
  it("starts from the defaults and keeps what the Admin changes", async () => {
    const first = await admin.get("/api/company/delivery");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      quietHours: { start: "20:00", end: "09:00", sundays: true, holidays: true },
      perSecond: { sms: 10, email: 14 },
    });
    const changed = await admin.patch("/api/company/delivery", {
      quietHours: { start: "21:30", sundays: false },
      perSecond: { sms: 5 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      quietHours: { start: "21:30", end: "09:00", sundays: false, holidays: true },
      perSecond: { sms: 5, email: 14 },
    });
    const audit = await admin.get("/api/audit?type=company.delivery_updated");
    expect((audit.body.items as unknown[]).length).toBe(1);
  });

  it("tells any user when a send would really leave: after a Sunday, a holiday or the night", async () => {
    const fresh = await newCompany();
    const as = await loggedIn(fresh, (await addUser(fresh, "user", [fresh.agencies[0]])).email);
    const departure = async (at: string) =>
      (await as.get(`/api/campaigns/departure?at=${encodeURIComponent(at)}`)).body;
    expect(await departure("2026-12-13T10:00:00+01:00")).toEqual({
      at: "2026-12-13T09:00:00.000Z",
      leavesAt: "2026-12-14T08:00:00.000Z",
      quiet: "sunday",
    });
    expect(await departure("2026-12-25T10:00:00+01:00")).toMatchObject({
      leavesAt: "2026-12-26T08:00:00.000Z",
      quiet: "holiday",
    });
    expect(await departure("2026-12-15T22:30:00+01:00")).toMatchObject({
      leavesAt: "2026-12-16T08:00:00.000Z",
      quiet: "night",
    });
    expect(await departure("2026-12-15T15:00:00+01:00")).toMatchObject({
      leavesAt: "2026-12-15T14:00:00.000Z",
      quiet: null,
    });
    const bad = await as.get("/api/campaigns/departure?at=demain");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("at");
  });

  it("refuses bad values and non-Admins, changing nothing", async () => {
    expect((await admin.patch("/api/company/delivery", { quietHours: { start: "25:00" } })).status).toBe(400);
    expect((await admin.patch("/api/company/delivery", { perSecond: { sms: -1 } })).status).toBe(400);
    // SMS identities are the operator's to assign (registered for this company with carriers).
    for (const identity of [{ senderId: "AUTRE" }, { replyNumber: "+33799999999" }, { senderId: null }]) {
      const refused = await admin.patch("/api/company/delivery", identity);
      expect(refused.status).toBe(403);
      expect((refused.body.error as { code: string }).code).toBe("delivery.identities_by_operator");
    }
    // Rates stay within the operator's ceiling (10 SMS/s by default), and 0 (no limit) is not within it.
    for (const sms of [11, 0]) {
      const above = await admin.patch("/api/company/delivery", { perSecond: { sms } });
      expect(above.status).toBe(400);
      expect((above.body.error as { code: string }).code).toBe("delivery.rate_above_limit");
    }
    expect((await user.patch("/api/company/delivery", { perSecond: { sms: 100 } })).status).toBe(403);
    expect((await user.get("/api/company/delivery")).status).toBe(403);
    expect((await admin.get("/api/company/delivery")).body).toMatchObject({ perSecond: { sms: 5 } });
  });

  it("sends info messages from the sender ID and Yes/No questions from the two-way number", async () => {
    const numbers = await smsVoice().send(new DescribePhoneNumbersCommand({}));
    const twoWay = numbers.PhoneNumbers!.find((number) => number.TwoWayEnabled)!.PhoneNumber!;
    const operator = await operatorSignedIn();
    const assigned = await operator.patch(`/api/operator/companies/${company.companyId}/terms`, {
      senderId: "RELAIS",
      replyNumber: twoWay,
    });
    expect(assigned.status).toBe(200);
    expect((await admin.get("/api/company/delivery")).body).toMatchObject({
      senderId: "RELAIS",
      replyNumber: twoWay,
    });

    const send = async (kind: "info" | "yesno") => {
      const to = mobile();
      const created = await admin.post("/api/campaigns", {
        kind,
        smsBody: kind === "info" ? "Agence fermée lundi" : "Dispo demain ?",
        recipients: { entries: [to] },
        title: `Identité ${kind}`,
        agencyId: company.agencies[0],
        urgent: true,
      });
      expect(created.status).toBe(201);
      const deadline = Date.now() + 20_000;
      for (;;) {
        const answer = await fetch(
          `${sms()}/_emulator/messages?to=${encodeURIComponent(to)}&direction=outbound`,
        );
        const { messages } = (await answer.json()) as { messages: Array<{ from: string }> };
        if (messages[0]) return messages[0].from;
        if (Date.now() > deadline) throw new Error("no SMS");
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    expect(await send("info")).toBe("RELAIS");
    expect(await send("yesno")).toBe(twoWay);
    await operator.patch(`/api/operator/companies/${company.companyId}/terms`, { senderId: null });
    expect(
      ((await admin.get("/api/company/delivery")).body as { senderId?: string }).senderId,
    ).toBeUndefined();
  });
});
