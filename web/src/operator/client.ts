import type { InferRequestType, InferResponseType } from "hono/client";
import { operatorApi, unwrap } from "../api";

/** The operator console's calls, through its own typed client (`operatorApi` in api.ts). */
const root = operatorApi.api.operator;
const company = root.companies[":companyId"];

export type OperatorSession = InferResponseType<typeof root.auth.session.$get, 200>;
export type CompanySummary = InferResponseType<typeof root.companies.$get, 200>["items"][number];
export type CompanyDetail = InferResponseType<typeof company.$get, 200>["company"];
export type NewCompany = InferRequestType<typeof root.companies.$post>["json"];
export type TermsUpdate = InferRequestType<(typeof company)["terms"]["$patch"]>["json"];
export type CompanyState = CompanySummary["state"];

export const operator = {
  login: (email: string, password: string) => unwrap(root.auth.login.$post({ json: { email, password } })),
  totp: (code: string) => unwrap(root.auth.totp.$post({ json: { code } })),
  session: () => unwrap(root.auth.session.$get()),
  logout: () => unwrap(root.auth.logout.$post()),
  companies: () => unwrap(root.companies.$get()),
  create: (input: NewCompany) => unwrap(root.companies.$post({ json: input })),
  company: (companyId: string) => unwrap(company.$get({ param: { companyId } })),
  setTerms: (companyId: string, terms: TermsUpdate) =>
    unwrap(company.terms.$patch({ param: { companyId }, json: terms })),
  suspend: (companyId: string, reason?: string) =>
    unwrap(company.suspend.$post({ param: { companyId }, json: { reason } })),
  reactivate: (companyId: string) => unwrap(company.reactivate.$post({ param: { companyId } })),
  close: (companyId: string, reason?: string) =>
    unwrap(company.close.$post({ param: { companyId }, json: { reason } })),
};
