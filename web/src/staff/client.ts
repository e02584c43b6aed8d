import type { InferRequestType, InferResponseType } from "hono/client";
import { uploadToPresignedPost } from "../accounts/client";
import { api, unwrap } from "../api";

/** Employee communication, staff side (functions/api/staff.ts), through the typed `hc` client. */
const staff = api.api.staff;
const fresh = { init: { cache: "no-store" as const } };

export type Settings = InferResponseType<typeof staff.settings.$get, 200>;
export type SettingsInput = InferRequestType<typeof staff.settings.$put>["json"];
export type Group = InferResponseType<typeof staff.groups.$get, 200>["items"][number];
export type Member = InferResponseType<
  (typeof staff.groups)[":groupId"]["members"]["$get"],
  200
>["items"][number];
export type GroupFileReport = InferResponseType<
  (typeof staff.groups)[":groupId"]["import"][":uploadId"]["$post"],
  200
>;
export type Announcement = InferResponseType<typeof staff.announcements.$get, 200>["items"][number];
export type AnnouncementInput = InferRequestType<typeof staff.announcements.$post>["json"];
export type Survey = InferResponseType<typeof staff.surveys.$get, 200>["items"][number];
export type SurveyInput = InferRequestType<typeof staff.surveys.$post>["json"];
export type Report = InferResponseType<(typeof staff.surveys)[":surveyId"]["report"]["$get"], 200>;

const group = (groupId: string) => ({ param: { groupId } });

export const settings = {
  get: () => unwrap(staff.settings.$get(undefined, fresh)),
  save: (json: SettingsInput) => unwrap(staff.settings.$put({ json })),
};

export const groups = {
  list: () => unwrap(staff.groups.$get(undefined, fresh)),
  create: (name: string) => unwrap(staff.groups.$post({ json: { name } })),
  get: (groupId: string) => unwrap(staff.groups[":groupId"].$get(group(groupId), fresh)),
  remove: (groupId: string) => unwrap(staff.groups[":groupId"].$delete(group(groupId))),
  members: (groupId: string, q?: string) =>
    unwrap(staff.groups[":groupId"].members.$get({ ...group(groupId), query: q ? { q } : {} }, fresh)),
  add: (groupId: string, partnerIds: string[]) =>
    unwrap(staff.groups[":groupId"].members.$post({ ...group(groupId), json: { partnerIds } })),
  paste: (groupId: string, text: string) =>
    unwrap(staff.groups[":groupId"].paste.$post({ ...group(groupId), json: { text } })),
  /** Uploads the file straight to storage, then has the API add the employees it names. */
  /** Where the browser posts a group's file (presigned), then the import of what it posted. */
  fileUpload: (groupId: string, file: File) =>
    unwrap(
      staff.groups[":groupId"].import.uploads.$post({
        ...group(groupId),
        json: { fileName: file.name, size: file.size },
      }),
    ),
  importUpload: (groupId: string, uploadId: string) =>
    unwrap(staff.groups[":groupId"].import[":uploadId"].$post({ param: { groupId, uploadId } })),
  removeMember: (groupId: string, partnerId: string) =>
    unwrap(staff.groups[":groupId"].members[":partnerId"].$delete({ param: { groupId, partnerId } })),
};

export const announcements = {
  list: () => unwrap(staff.announcements.$get(undefined, fresh)),
  create: (json: AnnouncementInput) => unwrap(staff.announcements.$post({ json })),
  remove: (announcementId: string) =>
    unwrap(staff.announcements[":announcementId"].$delete({ param: { announcementId } })),
  /** Uploads the attachment straight to storage, then has the API check its bytes. */
  attach: async (announcementId: string, file: File) => {
    const param = { param: { announcementId } };
    type Upload = InferRequestType<
      (typeof staff.announcements)[":announcementId"]["attachment"]["$post"]
    >["json"];
    const json = {
      fileName: file.name,
      contentType: (file.type || "application/pdf") as Upload["contentType"],
    };
    const target = await unwrap(staff.announcements[":announcementId"].attachment.$post({ ...param, json }));
    await uploadToPresignedPost(target, file, () => undefined);
    return unwrap(staff.announcements[":announcementId"].attachment.confirm.$post({ ...param, json }));
  },
  /** Uploads the illustration straight to storage, then has the API resize it. */
  image: async (announcementId: string, file: File) => {
    const param = { param: { announcementId } };
    const contentType = file.type === "image/png" ? "image/png" : "image/jpeg";
    const target = await unwrap(
      staff.announcements[":announcementId"].image.$post({ ...param, json: { contentType } }),
    );
    await uploadToPresignedPost(target, file, () => undefined);
    return unwrap(staff.announcements[":announcementId"].image.process.$post(param));
  },
};

export const surveys = {
  list: () => unwrap(staff.surveys.$get(undefined, fresh)),
  create: (json: SurveyInput) => unwrap(staff.surveys.$post({ json })),
  report: (surveyId: string) =>
    unwrap(staff.surveys[":surveyId"].report.$get({ param: { surveyId } }, fresh)),
  remove: (surveyId: string) => unwrap(staff.surveys[":surveyId"].$delete({ param: { surveyId } })),
  // Same origin and cookie: plain links download. ($url throws: the client's base "/" is not absolute.)
  csvUrl: (surveyId: string) => staff.surveys[":surveyId"]["answers.csv"].$path({ param: { surveyId } }),
  xlsxUrl: (surveyId: string) => staff.surveys[":surveyId"]["answers.xlsx"].$path({ param: { surveyId } }),
};

const segmenter = new Intl.Segmenter("fr", { granularity: "grapheme" });
/** Characters as people see them, as the API counts them (core/text.ts `graphemes`). */
export function graphemes(text: string) {
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}
export const titleMax = 40;

/** Whether `at` (now) falls in the notification quiet window, read in Paris time. */
export function inQuietWindow(at: Date, quiet: { quietStart: string; quietEnd: string }) {
  if (quiet.quietStart === quiet.quietEnd) return false;
  const local = new Intl.DateTimeFormat("fr-FR", {
    timeZone: "Europe/Paris",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);
  return quiet.quietStart < quiet.quietEnd
    ? local >= quiet.quietStart && local < quiet.quietEnd
    : local >= quiet.quietStart || local < quiet.quietEnd;
}
