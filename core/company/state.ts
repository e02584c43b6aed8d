import { VisibleError } from "../error";
import { CompanyEntity } from "./company.entity";

export const states = ["active", "suspended", "closing", "erased"] as const;
export type State = (typeof states)[number];

/** The company's state as operators set it; a company never touched by one is active. */
export async function stateOf(companyId: string): Promise<State> {
  const { data } = await CompanyEntity.get({ companyId }).go({ attributes: ["state"] });
  return data?.state ?? "active";
}

/**
 * Refuses sign-in (console, partner space, API keys) to a suspended, closing or erased company. Checked where
 * sessions open and resume, so a suspension also ends sessions already open.
 */
export async function assertOpen(companyId: string) {
  const state = await stateOf(companyId);
  if (state === "suspended")
    throw new VisibleError("company.suspended", "This company's account is suspended", 403);
  if (state === "closing" || state === "erased")
    throw new VisibleError("company.closed", "This company's account is closed", 403);
}
