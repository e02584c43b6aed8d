import type { InferResponseType } from "hono/client";
import { api, unwrap } from "../api";

/** Templates (functions/api/templates.ts), through the typed `hc` client. */

export type Template = InferResponseType<typeof api.api.templates.$get, 200>["items"][number];
export type TemplateKind = Template["kind"];
export type TemplateScope = Template["scope"];
export type TemplateFilter = "favourites" | "mine" | "company" | "all";

export const templateKinds = ["yesno", "info"] as const satisfies readonly TemplateKind[];
export const templateScopes = ["personal", "agency", "company"] as const satisfies readonly TemplateScope[];
export const templateFilters = [
  "favourites",
  "mine",
  "company",
  "all",
] as const satisfies readonly TemplateFilter[];

export type TemplateContent = {
  name: string;
  kind: TemplateKind;
  smsBody: string;
  emailSubject: string;
  emailHtml: string;
  scope: TemplateScope;
  agencyId?: string;
};

const param = (templateId: string) => ({ param: { templateId } });

export const templates = {
  list: (filters: { filter?: TemplateFilter; search?: string; kind?: TemplateKind } = {}) =>
    unwrap(
      api.api.templates.$get(
        {
          query: {
            filter: filters.filter,
            search: filters.search?.trim() || undefined,
            kind: filters.kind,
          },
        },
        { init: { cache: "no-store" } },
      ),
    ),
  get: (templateId: string) =>
    unwrap(api.api.templates[":templateId"].$get(param(templateId), { init: { cache: "no-store" } })),
  create: (json: TemplateContent) => unwrap(api.api.templates.$post({ json })),
  update: (templateId: string, json: Partial<TemplateContent>) =>
    unwrap(api.api.templates[":templateId"].$patch({ ...param(templateId), json })),
  remove: (templateId: string) => unwrap(api.api.templates[":templateId"].$delete(param(templateId))),
  duplicate: (templateId: string) =>
    unwrap(api.api.templates[":templateId"].duplicate.$post(param(templateId))),
  favourite: (templateId: string, favourite: boolean) =>
    unwrap(api.api.templates[":templateId"].favourite.$put({ ...param(templateId), json: { favourite } })),
};
