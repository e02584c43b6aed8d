import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { PassThrough } from "node:stream";
import { ulid } from "ulid";
import * as z from "zod";
import { useCompanyId, usePartner, useRole } from "../actor";
import { Audit } from "../audit";
import { isConditionalFailure, TransactionCanceled, transactWrite, write } from "../db";
import { Employee } from "../employee";
import { VisibleError } from "../error";
import { fn } from "../fn";
import * as Job from "../job";
import { Partner } from "../partner";
import * as ScheduleWindow from "../schedule-window";
import { Spreadsheet } from "../spreadsheet";
import { StaffGroup } from "../staff-group";
import { graphemes } from "../text";
import * as Sms from "./sms";
import { SurveyAnswerEntity, SurveyEntity, SurveyMarkerEntity, surveyTypes } from "./survey.entity";

export const questionMax = 40;
type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof SurveyEntity.get>["go"]>>["data"]>;

const Question = z
  .string()
  .trim()
  .min(1, "A question is required")
  .refine((text) => graphemes(text) <= questionMax, { message: `${questionMax} characters at most` });

export const Input = z
  .object({
    question: Question,
    description: z.string().trim().max(5000).optional(),
    type: z.enum(surveyTypes),
    choices: z.array(z.string().trim().min(1).max(200)).max(20).optional(),
    multiple: z.boolean().default(false),
    anonymous: z.boolean().default(false),
    /** Oui/Non, named: also asked by SMS when the survey opens (./sms.ts). */
    bySms: z.boolean().default(false),
    groupIds: z.array(z.string().max(64)).min(1, "Pick at least one group").max(50),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }),
  })
  .refine((input) => input.type !== "choice" || (input.choices?.length ?? 0) >= 2, {
    message: "At least two choices",
    path: ["choices"],
  })
  .refine((input) => !input.bySms || input.type === "yesno", {
    message: "Only Oui/Non surveys can be answered by SMS",
    path: ["bySms"],
  })
  .refine((input) => !input.bySms || !input.anonymous, {
    message: "An SMS reply keeps its number: an anonymous survey cannot be answered by SMS",
    path: ["bySms"],
  })
  .refine((input) => !input.startsAt || Date.parse(input.endsAt) > Date.parse(input.startsAt), {
    message: "The end must come after the start",
    path: ["endsAt"],
  });

const Choice = z.object({ choiceId: z.string(), label: z.string() });

export const Info = z.object({
  surveyId: z.string(),
  question: z.string(),
  description: z.string().optional(),
  type: z.enum(surveyTypes),
  choices: z.array(Choice),
  multiple: z.boolean(),
  anonymous: z.boolean(),
  bySms: z.boolean(),
  /** Employees asked by SMS, and the Envois campaign carrying the questions, once launched. */
  smsAsked: z.number().optional(),
  smsCampaignId: z.string().optional(),
  groupIds: z.array(z.string()),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.enum(["scheduled", "open", "closed"]),
  createdByName: z.string(),
  createdAt: z.string(),
});
export type Info = z.infer<typeof Info>;

const toInfo = (row: Row): Info => ({
  surveyId: row.surveyId,
  question: row.question,
  description: row.description,
  type: row.type,
  choices: row.choices ?? [],
  multiple: row.multiple,
  anonymous: row.anonymous,
  bySms: row.bySms ?? false,
  smsAsked: row.smsAsked,
  smsCampaignId: row.smsAsked ? Sms.campaignIdOf(row.surveyId) : undefined,
  groupIds: row.groupIds,
  startsAt: row.startsAt,
  endsAt: row.endsAt,
  status: row.status,
  createdByName: row.createdByName,
  createdAt: row.createdAt,
});

export const notFound = () => new VisibleError("survey.not_found", "Survey not found", 404);
export const useManager = () => useRole("admin", "manager");

export const WindowJob = z.object({
  kind: z.literal("survey.window"),
  companyId: z.string(),
  surveyId: z.string(),
  edge: ScheduleWindow.Edge,
});
export type WindowJob = z.infer<typeof WindowJob>;

/** Schedules named `survey-<id>-start` and `-end`. */
const windowOf = (surveyId: string) =>
  ScheduleWindow.of(
    ["survey", surveyId],
    (edge): WindowJob => ({ kind: "survey.window", companyId: useCompanyId(), surveyId, edge }),
  );

/**
 * The Scheduler's two edges; a repeated job finds the status already moved and does nothing, except
 * asking by SMS again at the start, which is itself once only.
 */
export const Window = Job.define({
  kind: "survey.window",
  queue: "dispatch",
  schema: WindowJob,
  run: async (job) => {
    const moved = await move(job.surveyId, job.edge === "start" ? "open" : "closed");
    if (job.edge === "start") await Sms.ask(job.surveyId);
    return moved;
  },
});

function move(surveyId: string, to: "open" | "closed") {
  return ScheduleWindow.move(to, () =>
    SurveyEntity.patch({ companyId: useCompanyId(), surveyId })
      .set({ status: to })
      .where(({ status }, { ne }) =>
        to === "open" ? `${ne(status, "open")} AND ${ne(status, "closed")}` : ne(status, "closed"),
      )
      .go(),
  );
}

export const create = fn(Input, async (input) => {
  const user = useManager();
  const companyId = useCompanyId();
  await StaffGroup.assertExist(input.groupIds);
  const now = new Date();
  const startsAt = input.startsAt ? new Date(input.startsAt) : now;
  const endsAt = new Date(input.endsAt);
  if (endsAt <= now)
    throw new VisibleError("survey.ended", "The end date is already past", 400, {
      fields: [{ path: "endsAt", message: "Already past" }],
    });
  const surveyId = ulid();
  await SurveyEntity.create({
    companyId,
    surveyId,
    question: input.question,
    description: input.description || undefined,
    type: input.type,
    choices:
      input.type === "choice"
        ? (input.choices ?? []).map((label, index) => ({ choiceId: `c${index + 1}`, label }))
        : undefined,
    multiple: input.type === "choice" && input.multiple,
    anonymous: input.anonymous,
    bySms: input.bySms || undefined,
    markerKey: input.anonymous ? randomBytes(32).toString("base64url") : undefined,
    groupIds: [...new Set(input.groupIds)],
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    status: startsAt > now ? "scheduled" : "open",
    createdBy: user.userId,
    createdByName: user.name,
  }).go();
  await windowOf(surveyId).schedule({ startsAt, endsAt, now }, async () => {
    if (input.bySms) await Job.enqueue({ kind: "survey.ask", companyId, surveyId } satisfies Sms.AskJob);
  });
  await Audit.record("survey.created", { target: { type: "survey", id: surveyId, label: input.question } });
  return toInfo(await row(surveyId));
});

async function row(surveyId: string) {
  const { data } = await SurveyEntity.get({ companyId: useCompanyId(), surveyId }).go();
  if (!data) throw notFound();
  return data;
}

export const list = async () => {
  useManager();
  const found = await SurveyEntity.query
    .byCompany({ companyId: useCompanyId() })
    .go({ order: "desc", pages: "all" });
  return found.data.map(toInfo);
};

export const fromId = fn(z.string().max(64), async (surveyId) => {
  useManager();
  return toInfo(await row(surveyId));
});

export const remove = fn(z.string().max(64), async (surveyId) => {
  useManager();
  const found = await row(surveyId);
  const companyId = useCompanyId();
  await windowOf(surveyId).cancel();
  const [answers, markers] = await Promise.all([
    SurveyAnswerEntity.query.bySurvey({ companyId, surveyId }).go({ pages: "all" }),
    SurveyMarkerEntity.query.bySurvey({ companyId, surveyId }).go({ pages: "all" }),
  ]);
  if (answers.data.length > 0)
    await SurveyAnswerEntity.delete(
      answers.data.map(({ answerKey }) => ({ companyId, surveyId, answerKey })),
    ).go();
  if (markers.data.length > 0)
    await SurveyMarkerEntity.delete(markers.data.map(({ marker }) => ({ companyId, surveyId, marker }))).go();
  await SurveyEntity.delete({ companyId, surveyId }).go();
  await Audit.record("survey.deleted", { target: { type: "survey", id: surveyId, label: found.question } });
});

/* Report */

export const Report = z.object({
  survey: Info,
  targeted: z.number(),
  answered: z.number(),
  /** Answered / targeted, 0 to 1. */
  participation: z.number(),
  /** Named answers given by SMS reply. */
  bySms: z.number(),
  counts: z.array(z.object({ key: z.string(), label: z.string(), count: z.number() })),
  texts: z.array(z.object({ name: z.string().optional(), text: z.string() })),
});
export type Report = z.infer<typeof Report>;

const yesNo = [
  { key: "yes", label: "Oui" },
  { key: "no", label: "Non" },
];

async function answersOf(companyId: string, surveyId: string) {
  return (await SurveyAnswerEntity.query.bySurvey({ companyId, surveyId }).go({ pages: "all" })).data;
}

/** Live counts from the answers themselves: a changed answer moves its count, nothing drifts. */
export const report = fn(z.string().max(64), async (surveyId): Promise<Report> => {
  useManager();
  const survey = await row(surveyId);
  const [answers, targets] = await Promise.all([
    answersOf(survey.companyId, surveyId),
    StaffGroup.employeesOf(survey.groupIds),
  ]);
  const buckets =
    survey.type === "yesno"
      ? yesNo
      : (survey.choices ?? []).map((choice) => ({ key: choice.choiceId, label: choice.label }));
  const counts = buckets.map((bucket) => ({
    ...bucket,
    count: answers.filter((answer) =>
      survey.type === "yesno"
        ? (answer.yes ? "yes" : "no") === bucket.key
        : answer.choiceIds?.includes(bucket.key),
    ).length,
  }));
  const texts =
    survey.type === "text"
      ? answers
          .filter((answer) => answer.text)
          .map((answer) => ({ name: survey.anonymous ? undefined : answer.name, text: answer.text! }))
      : [];
  const targeted = targets.length;
  return {
    survey: toInfo(survey),
    targeted,
    answered: answers.length,
    participation: targeted === 0 ? 0 : Math.min(1, answers.length / targeted),
    bySms: answers.filter((answer) => answer.via === "sms").length,
    counts: survey.type === "text" ? [] : counts,
    texts,
  };
});

/** The report's answers as rows: one per answer, named unless anonymous. */
async function exportRows(surveyId: string) {
  const survey = await row(surveyId);
  const answers = await answersOf(survey.companyId, surveyId);
  const labels = new Map((survey.choices ?? []).map((choice) => [choice.choiceId, choice.label]));
  const columns = [
    ...(survey.anonymous ? [] : [{ header: "Salarié", key: "name", width: 28 }]),
    { header: "Réponse", key: "answer", width: 50 },
  ];
  const rows = answers.map((answer) => ({
    name: answer.name ?? "",
    answer:
      survey.type === "yesno"
        ? answer.yes
          ? "Oui"
          : "Non"
        : survey.type === "text"
          ? (answer.text ?? "")
          : (answer.choiceIds ?? []).map((id) => labels.get(id) ?? id).join(", "),
  }));
  return { survey, columns, rows };
}

const fileBase = (question: string) =>
  `sondage-${question
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40)
    .toLowerCase()}`;

async function collect(write: (output: PassThrough) => Promise<void>) {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (chunk: Buffer) => chunks.push(chunk));
  await write(output);
  return Buffer.concat(chunks);
}

/** The answers as CSV (UTF-8 BOM, `;`, formulas neutralised) or Excel. */
export const exportAnswers = fn(
  z.object({ surveyId: z.string().max(64), format: z.enum(["csv", "xlsx"]) }),
  async ({ surveyId, format }) => {
    useManager();
    const { survey, columns, rows } = await exportRows(surveyId);
    const bytes =
      format === "csv"
        ? await collect((output) => Spreadsheet.writeCsv(output, { columns, rows }))
        : await collect((output) => Spreadsheet.writeXlsx(output, [{ name: "Réponses", columns, rows }]));
    await Audit.record("survey.exported", {
      target: { type: "survey", id: surveyId, label: survey.question },
    });
    return { bytes, fileName: `${fileBase(survey.question)}.${format}` };
  },
);

/* The employee's side */

export const Answer = z.object({
  yes: z.boolean().optional(),
  text: z.string().trim().min(1).max(2000).optional(),
  choiceIds: z.array(z.string().max(16)).max(20).optional(),
});
export type Answer = z.infer<typeof Answer>;

export const SpaceSurvey = z.object({
  surveyId: z.string(),
  question: z.string(),
  description: z.string().optional(),
  type: z.enum(surveyTypes),
  choices: z.array(Choice),
  multiple: z.boolean(),
  anonymous: z.boolean(),
  endsAt: z.string(),
  answered: z.boolean(),
  /** My answer, when the survey is not anonymous (anonymous answers are not found again). */
  answer: Answer.optional(),
});
export type SpaceSurvey = z.infer<typeof SpaceSurvey>;

const inWindow = (survey: { startsAt: string; endsAt: string }, now: Date) => {
  const iso = now.toISOString();
  return survey.startsAt <= iso && iso < survey.endsAt;
};

const markerOf = (survey: Row, partnerId: string) =>
  createHmac("sha256", survey.markerKey ?? "")
    .update(partnerId)
    .digest("base64url");

async function mineOf(survey: Row, partnerId: string): Promise<SpaceSurvey> {
  const { companyId, surveyId } = survey;
  let answered = false;
  let answer: Answer | undefined;
  if (survey.anonymous) {
    const { data } = await SurveyMarkerEntity.get({
      companyId,
      surveyId,
      marker: markerOf(survey, partnerId),
    }).go();
    answered = Boolean(data);
  } else {
    const { data } = await SurveyAnswerEntity.get({ companyId, surveyId, answerKey: partnerId }).go();
    answered = Boolean(data);
    if (data) answer = { yes: data.yes, text: data.text, choiceIds: data.choiceIds };
  }
  return {
    surveyId,
    question: survey.question,
    description: survey.description,
    type: survey.type,
    choices: survey.choices ?? [],
    multiple: survey.multiple,
    anonymous: survey.anonymous,
    endsAt: survey.endsAt,
    answered,
    answer,
  };
}

async function context() {
  const employee = await Employee.useEmployee();
  return { employee, groups: await StaffGroup.groupsOf(employee.partnerId, true) };
}

/** The signed-in employee's open surveys. */
export async function mine() {
  const { employee, groups } = await context();
  const now = new Date();
  const found = await SurveyEntity.query
    .byCompany({ companyId: employee.companyId })
    .go({ order: "desc", pages: "all" });
  const open = found.data.filter(
    (survey) =>
      survey.status !== "closed" &&
      inWindow(survey, now) &&
      survey.groupIds.some((groupId: string) => groups.has(groupId)),
  );
  return Promise.all(open.map((survey) => mineOf(survey, employee.partnerId)));
}

/** A survey the employee may see, or 404; `closed` when its window is over (it was theirs). */
async function visible(surveyId: string) {
  const { employee, groups } = await context();
  const { data } = await SurveyEntity.get({ companyId: employee.companyId, surveyId }).go();
  if (!data) throw notFound();
  if (!data.groupIds.some((groupId: string) => groups.has(groupId))) throw notFound();
  const now = new Date().toISOString();
  if (now < data.startsAt) throw notFound();
  return { employee, survey: data, closed: now >= data.endsAt || data.status === "closed" };
}

export const one = fn(z.string().max(64), async (surveyId) => {
  const { employee, survey, closed } = await visible(surveyId);
  if (closed) throw notFound();
  return mineOf(survey, employee.partnerId);
});

function check(survey: Row, answer: Answer): Answer {
  const invalid = (message: string) =>
    new VisibleError("survey.answer_invalid", message, 400, { fields: [{ path: "answer", message }] });
  if (survey.type === "yesno") {
    if (answer.yes === undefined) throw invalid("Answer yes or no");
    return { yes: answer.yes };
  }
  if (survey.type === "text") {
    if (!answer.text) throw invalid("Type an answer");
    return { text: answer.text };
  }
  const picked = [...new Set(answer.choiceIds ?? [])];
  const known = new Set((survey.choices ?? []).map((choice: { choiceId: string }) => choice.choiceId));
  if (picked.length === 0 || picked.some((id) => !known.has(id))) throw invalid("Pick among the choices");
  if (!survey.multiple && picked.length > 1) throw invalid("Pick one answer");
  return { choiceIds: picked };
}

/**
 * Records the employee's answer. Named: one item per employee, which a new answer replaces (concurrent
 * submits leave one). Anonymous: the marker's conditional create and the answer in one transaction, so a
 * second submit is refused and the answer carries nothing that leads back to the person — which is also
 * why an anonymous answer cannot be changed.
 */
export const answer = fn(z.object({ surveyId: z.string().max(64), answer: Answer }), async (input) => {
  const { employee, survey, closed } = await visible(input.surveyId);
  if (closed) throw new VisibleError("survey.closed", "This survey is closed", 409);
  const value = check(survey, input.answer);
  const { companyId, surveyId } = survey;
  const { partnerId } = usePartner();
  if (!survey.anonymous) {
    await SurveyAnswerEntity.put({
      companyId,
      surveyId,
      answerKey: partnerId,
      partnerId,
      name: Partner.nameOf(employee),
      ...value,
      answeredAt: new Date().toISOString(),
    }).go();
    return mineOf(survey, partnerId);
  }
  try {
    await transactWrite([
      write.put(
        SurveyMarkerEntity.create({ companyId, surveyId, marker: markerOf(survey, partnerId) }).params(),
      ),
      write.put(
        SurveyAnswerEntity.create({ companyId, surveyId, answerKey: randomUUID(), ...value }).params(),
      ),
    ]);
  } catch (error) {
    // A concurrent submit may cancel this one as a conflict rather than a failed condition: either way,
    // once the marker is there the employee has answered.
    const marker = markerOf(survey, partnerId);
    const held =
      isConditionalFailure(error) || error instanceof TransactionCanceled
        ? (await SurveyMarkerEntity.get({ companyId, surveyId, marker }).go({ consistent: true })).data
        : undefined;
    if (!held) throw error;
    throw new VisibleError("survey.already_answered", "You already answered this anonymous survey", 409);
  }
  return mineOf(survey, partnerId);
});
