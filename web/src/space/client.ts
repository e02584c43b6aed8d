import type { InferResponseType } from "hono/client";
import { spaceApi, unwrap } from "../api";

/** The partner space's calls, through its own typed client (`spaceApi` in api.ts). */
const espace = spaceApi.api.espace;

export type Dashboard = InferResponseType<typeof espace.$get, 200>;
export type SpaceDocument = Dashboard["documents"][number];
export type SpaceCampaign = Dashboard["campaigns"][number];
export type Typology = SpaceDocument["typology"];

/** A wrong or expired code: the API says how many tries are left. */
export type CodeRefusal = { code: string; triesLeft: number };
/** Several companies know the address: their names, and the one-time ticket `choose` takes. */
export type CompanyChoice = { ticket: string; companies: Array<{ choice: number; name: string }> };
export type Verified =
  | { kind: "signed_in" }
  | ({ kind: "choose" } & CompanyChoice)
  | ({ kind: "refused" } & CodeRefusal);

export const space = {
  requestCode: (address: string) => unwrap(espace.auth.code.$post({ json: { address } })),
  /** Signed in, a company to choose first, or why the code was refused; other failures throw. */
  verify: async (address: string, code: string): Promise<Verified> => {
    const response = await espace.auth.verify.$post({ json: { address, code } });
    if (response.ok) {
      const body = await response.json();
      return "choose" in body ? { kind: "choose", ...body.choose } : { kind: "signed_in" };
    }
    // 401 carries `triesLeft`, which the route's typed errors do not list
    const raw = response as unknown as Response;
    if (raw.status === 401) {
      const body = (await raw.json().catch(() => ({}))) as {
        error?: { code?: string; triesLeft?: number };
      };
      return {
        kind: "refused",
        code: body.error?.code ?? "space.code_wrong",
        triesLeft: body.error?.triesLeft ?? 0,
      };
    }
    return unwrap(Promise.resolve(response)).then(() => ({ kind: "signed_in" }) as const);
  },
  /** Opens the chosen company's space; false when the ticket has expired (sign in again). */
  choose: async (ticket: string, choice: number) => {
    const response = await espace.auth.choose.$post({ json: { ticket, choice } });
    if ((response as unknown as Response).status === 401) return false;
    await unwrap(Promise.resolve(response));
    return true;
  },
  logout: () => unwrap(espace.auth.logout.$post()),
  dashboard: () => unwrap(espace.$get()),
  open: (documentId: string) => unwrap(espace.documents[":documentId"].open.$post({ param: { documentId } })),
  requestSignCode: (documentId: string) =>
    unwrap(espace.documents[":documentId"].sign.code.$post({ param: { documentId } })),
  /** Signed, or why the code was refused (with the tries left); other failures throw. */
  sign: async (
    documentId: string,
    json: { code: string; consent: true; typedName?: string; drawing?: string },
  ): Promise<{ kind: "signed" } | ({ kind: "refused" } & CodeRefusal)> => {
    const response = await espace.documents[":documentId"].sign.$post({ param: { documentId }, json });
    const raw = response as unknown as Response;
    if (raw.status === 401) {
      const body = (await raw.json().catch(() => ({}))) as { error?: { code?: string; triesLeft?: number } };
      return {
        kind: "refused",
        code: body.error?.code ?? "signature.code_wrong",
        triesLeft: body.error?.triesLeft ?? 0,
      };
    }
    await unwrap(Promise.resolve(response));
    return { kind: "signed" };
  },
  /** Answered by a redirect to a one-minute link: the browser follows it and downloads. */
  fileUrl: (documentId: string) => espace.documents[":documentId"].file.$path({ param: { documentId } }),
  /** An information campaign's logo, served by the API (same origin). */
  campaignLogoUrl: (campaignId: string) =>
    espace.campaigns[":campaignId"].logo.$path({ param: { campaignId } }),
};

export type SpaceAnnouncement = InferResponseType<typeof espace.announcements.$get, 200>["items"][number];
export type SpaceSurvey = InferResponseType<typeof espace.surveys.$get, 200>["items"][number];
export type SurveyAnswer = { yes?: boolean; text?: string; choiceIds?: string[] };
export type CompanyContact = InferResponseType<typeof espace.contact.$get, 200>;

/** Employees' sections (partners in a staff category): announcements, surveys, the company's contact. */
export const employee = {
  announcements: () => unwrap(espace.announcements.$get()),
  open: (announcementId: string) =>
    unwrap(espace.announcements[":announcementId"].open.$post({ param: { announcementId } })),
  surveys: () => unwrap(espace.surveys.$get()),
  answer: (surveyId: string, json: SurveyAnswer) =>
    unwrap(espace.surveys[":surveyId"].answer.$put({ param: { surveyId }, json })),
  contact: () => unwrap(espace.contact.$get()),
  pushKey: () => unwrap(espace.push.key.$get()),
  subscribe: (json: { endpoint: string; keys: { p256dh: string; auth: string } }) =>
    unwrap(espace.push.subscription.$put({ json })),
  attachmentUrl: (announcementId: string) =>
    espace.announcements[":announcementId"].attachment.$path({ param: { announcementId } }),
  imageUrl: (announcementId: string, width: number) =>
    espace.announcements[":announcementId"].image[":width"].$path({
      param: { announcementId, width: String(width) },
    }),
};
