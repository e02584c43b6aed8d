import { beforeAll, describe, expect, it } from "vitest";
import { type Actor, withActor } from "../actor";
import { MessageEntity } from "../campaign/campaign.entity";
import { Partner } from "../partner";
import { StaffGroup } from "../staff-group";
import { newCompany, type TestCompany } from "../test-helpers";
import { Survey } from "./index";
import * as Sms from "./sms";
import { SurveyAnswerEntity, SurveyMarkerEntity } from "./survey.entity";

let company: TestCompany;
let admin: Actor;
const asAdmin = <T>(run: () => Promise<T>) => withActor(admin, run);
const asPartner = <T>(partnerId: string, run: () => Promise<T>) =>
  withActor({ type: "partner", companyId: company.companyId, partnerId }, run);
const asSystem = <T>(run: () => Promise<T>) =>
  withActor({ type: "system", companyId: company.companyId, reason: "test" }, run);

let counter = 0;
const mobile = () =>
  `+33617${String(Date.now() % 1e4).padStart(4, "0")}${String(counter++).padStart(2, "0")}`;
const employee = (lastName: string, categoryIds = ["salarie-structure"]) =>
  asAdmin(() => Partner.create({ lastName, mobile: mobile(), categoryIds }));
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const context = { deadline: Date.now() + 60_000, timeLeft: () => 60_000, redelivered: false };

let groupId: string;
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
  groupId = (await asAdmin(() => StaffGroup.create({ name: "Sondés" }))).groupId;
});

const newSurvey = (input: Partial<Parameters<typeof Survey.create>[0]> = {}) =>
  asAdmin(async () =>
    Survey.create({
      question: "Pizza vendredi ?",
      type: "yesno",
      groupIds: [groupId],
      endsAt: inDays(2),
      ...input,
    }),
  );

async function members(count: number) {
  const people: Array<{ partnerId: string }> = [];
  for (let index = 0; index < count; index++) people.push(await employee(`Sondé ${index}`));
  await asAdmin(() => StaffGroup.add({ groupId, partnerIds: people.map((person) => person.partnerId) }));
  return people;
}

describe("surveys", () => {
  it("limits the question to 40 characters as people see them and needs two choices", async () => {
    await expect(newSurvey({ question: "é".repeat(41) })).rejects.toThrow();
    expect((await newSurvey({ question: "🙂".repeat(40) })).question).toBe("🙂".repeat(40));
    await expect(newSurvey({ type: "choice", choices: ["Seul"] })).rejects.toThrow();
  });

  it("keeps one answer per employee, changeable until the end, even under concurrent submits", async () => {
    const [paul, zoe, absent] = await members(3);
    const survey = await newSurvey({ type: "choice", choices: ["Lundi", "Mardi", "Jeudi"], multiple: true });
    const submits = ["c1", "c2", "c3", "c1", "c2"].map((choiceId) =>
      asPartner(paul!.partnerId, () =>
        Survey.answer({ surveyId: survey.surveyId, answer: { choiceIds: [choiceId] } }),
      ),
    );
    await Promise.all(submits);
    await asPartner(zoe!.partnerId, () =>
      Survey.answer({ surveyId: survey.surveyId, answer: { choiceIds: ["c1", "c3"] } }),
    );
    const report = await asAdmin(() => Survey.report(survey.surveyId));
    expect(report.answered).toBe(2);
    expect(report.counts.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(3);
    // Changed: Paul now says Jeudi only.
    await asPartner(paul!.partnerId, () =>
      Survey.answer({ surveyId: survey.surveyId, answer: { choiceIds: ["c3"] } }),
    );
    const after = await asAdmin(() => Survey.report(survey.surveyId));
    expect(after.counts).toEqual([
      { key: "c1", label: "Lundi", count: 1 },
      { key: "c2", label: "Mardi", count: 0 },
      { key: "c3", label: "Jeudi", count: 2 },
    ]);
    expect(after.targeted).toBeGreaterThanOrEqual(3);
    expect(after.participation).toBeCloseTo(2 / after.targeted);
    const mine = await asPartner(absent!.partnerId, () => Survey.mine());
    expect(mine.find((s) => s.surveyId === survey.surveyId)).toMatchObject({ answered: false });
  });

  it("refuses two answers where only one is allowed, and choices it does not know", async () => {
    const [person] = await members(1);
    const survey = await newSurvey({ type: "choice", choices: ["A", "B"] });
    await expect(
      asPartner(person!.partnerId, () =>
        Survey.answer({ surveyId: survey.surveyId, answer: { choiceIds: ["c1", "c2"] } }),
      ),
    ).rejects.toMatchObject({ code: "survey.answer_invalid" });
    await expect(
      asPartner(person!.partnerId, () =>
        Survey.answer({ surveyId: survey.surveyId, answer: { choiceIds: ["c9"] } }),
      ),
    ).rejects.toMatchObject({ code: "survey.answer_invalid" });
  });

  it("stores anonymous answers with no partner id, one per employee, even when submitted together", async () => {
    const [anna] = await members(1);
    const survey = await newSurvey({ type: "text", question: "Une idée ?", anonymous: true });
    const outcomes = await Promise.allSettled(
      ["Idée un", "Idée deux", "Idée trois"].map((text) =>
        asPartner(anna!.partnerId, () => Survey.answer({ surveyId: survey.surveyId, answer: { text } })),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    for (const outcome of outcomes.filter((o) => o.status === "rejected"))
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: "survey.already_answered" });
    const key = { companyId: company.companyId, surveyId: survey.surveyId };
    const answers = await SurveyAnswerEntity.query.bySurvey(key).go({ data: "raw" });
    const markers = await SurveyMarkerEntity.query.bySurvey(key).go({ data: "raw" });
    const stored = JSON.stringify([answers.data, markers.data]);
    expect(stored).not.toContain(anna!.partnerId);
    expect(stored).not.toContain("Sondé");
    expect(stored).not.toContain("answeredAt");
    const report = await asAdmin(() => Survey.report(survey.surveyId));
    expect(report.answered).toBe(1);
    expect(report.texts).toHaveLength(1);
    expect(report.texts[0]!.name).toBeUndefined();
    expect((await asPartner(anna!.partnerId, () => Survey.one(survey.surveyId))).answered).toBe(true);
  });

  it("refuses answers once closed by its end job, and hides it", async () => {
    const [late] = await members(1);
    const survey = await newSurvey();
    await asPartner(late!.partnerId, () =>
      Survey.answer({ surveyId: survey.surveyId, answer: { yes: true } }),
    );
    const job = { kind: "survey.window" as const, companyId: company.companyId, surveyId: survey.surveyId };
    expect(await asSystem(() => Survey.Window.run({ ...job, edge: "end" }, context))).toEqual({
      outcome: "closed",
    });
    await expect(
      asPartner(late!.partnerId, () => Survey.answer({ surveyId: survey.surveyId, answer: { yes: false } })),
    ).rejects.toMatchObject({ code: "survey.closed", status: 409 });
    expect((await asPartner(late!.partnerId, () => Survey.mine())).map((s) => s.surveyId)).not.toContain(
      survey.surveyId,
    );
    // A start job arriving late does not reopen it.
    expect(await asSystem(() => Survey.Window.run({ ...job, edge: "start" }, context))).toEqual({
      outcome: "skipped",
    });
  });

  it("is not found for an employee outside its groups, or a partner who is not an employee", async () => {
    const survey = await newSurvey();
    const outsider = await employee("Hors groupe");
    const client = await employee("Client", ["client"]);
    await expect(asPartner(outsider.partnerId, () => Survey.one(survey.surveyId))).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      asPartner(outsider.partnerId, () =>
        Survey.answer({ surveyId: survey.surveyId, answer: { yes: true } }),
      ),
    ).rejects.toMatchObject({ status: 404 });
    await expect(asPartner(client.partnerId, () => Survey.mine())).rejects.toMatchObject({ status: 404 });
  });

  it("exports CSV with a BOM, semicolons and formulas neutralised, and Excel", async () => {
    const [evil] = await members(1);
    const survey = await newSurvey({ type: "text", question: "Remarque ?" });
    await asPartner(evil!.partnerId, () =>
      Survey.answer({ surveyId: survey.surveyId, answer: { text: '=HYPERLINK("http://x";"clic"); ok' } }),
    );
    const csv = await asAdmin(() => Survey.exportAnswers({ surveyId: survey.surveyId, format: "csv" }));
    const text = csv.bytes.toString("utf8");
    expect(text.startsWith("\uFEFFSalarié;Réponse\r\n")).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""http://x"";""clic""); ok"`);
    expect(csv.fileName).toBe("sondage-remarque.csv");
    const xlsx = await asAdmin(() => Survey.exportAnswers({ surveyId: survey.surveyId, format: "xlsx" }));
    expect(xlsx.bytes.subarray(0, 2).toString()).toBe("PK");
  });

  describe("by SMS", () => {
    const reply = (messageId: string, classification: "yes" | "no" | "other", occurredAt: string) =>
      asSystem(() =>
        Sms.onReply({
          id: `${messageId}-${occurredAt}`,
          name: "reply.received",
          companyId: company.companyId,
          occurredAt,
          payload: {
            campaignId: Sms.campaignIdOf(messageId.split("-")[0]!),
            messageId,
            replyId: occurredAt,
            channel: "sms",
            classification,
            body: classification,
          },
        }),
      );
    const answerOf = async (surveyId: string, partnerId: string) =>
      (await SurveyAnswerEntity.get({ companyId: company.companyId, surveyId, answerKey: partnerId }).go())
        .data;

    it("asks once however often the job runs, one question per employee with a mobile", async () => {
      const people = await members(2);
      const survey = await newSurvey({ bySms: true, groupIds: [groupId] });
      const runs = await Promise.all([1, 2, 3].map(() => asSystem(() => Sms.ask(survey.surveyId))));
      expect(runs.some((run) => run.outcome === "asked")).toBe(true);
      const messages = await MessageEntity.query
        .byCampaign({ companyId: company.companyId, campaignId: Sms.campaignIdOf(survey.surveyId) })
        .go({ pages: "all" });
      const targeted = (await asAdmin(() => Survey.report(survey.surveyId))).targeted;
      expect(messages.data).toHaveLength(targeted);
      for (const person of people)
        expect(messages.data.map((message) => message.messageId)).toContain(
          `${survey.surveyId}-${person.partnerId}`,
        );
      // Not before it opens.
      const later = await newSurvey({ bySms: true, startsAt: inDays(1), endsAt: inDays(2) });
      expect(await asSystem(() => Sms.ask(later.surveyId))).toEqual({ outcome: "skipped" });
    });

    it("keeps the newest answer whatever order replies arrive in; other replies and late ones are not answers", async () => {
      const [person] = await members(1);
      const survey = await newSurvey({ bySms: true });
      const messageId = `${survey.surveyId}-${person!.partnerId}`;
      const soon = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
      await reply(messageId, "no", soon(2));
      await reply(messageId, "yes", soon(1)); // an older reply redelivered late
      expect(await answerOf(survey.surveyId, person!.partnerId)).toMatchObject({ yes: false, via: "sms" });
      await reply(messageId, "other", soon(3));
      expect((await answerOf(survey.surveyId, person!.partnerId))?.yes).toBe(false);
      await reply(messageId, "yes", inDays(3)); // after the end
      expect((await answerOf(survey.surveyId, person!.partnerId))?.yes).toBe(false);
      // A later answer in the space wins over an older SMS delivered again.
      await asPartner(person!.partnerId, () =>
        Survey.answer({ surveyId: survey.surveyId, answer: { yes: true } }),
      );
      await reply(messageId, "no", new Date(Date.now() - 60_000).toISOString());
      expect(await answerOf(survey.surveyId, person!.partnerId)).toMatchObject({ yes: true });
      expect((await answerOf(survey.surveyId, person!.partnerId))?.via).toBeUndefined();
    });
  });
});
