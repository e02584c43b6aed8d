import type * as z from "zod";
import { notYet } from "./stub";
import type { DossierDetail, DossierFilters, DossierSummary, StatusChanged, StatusPreview } from "./types";

export async function list(
  _campaignId: string,
  _filters: z.infer<typeof DossierFilters>,
): Promise<{ items: DossierSummary[]; cursor?: string }> {
  return notYet();
}
export async function detail(_campaignId: string, _dossierId: string): Promise<DossierDetail> {
  return notYet();
}
export async function assign(
  _campaignId: string,
  _dossierId: string,
  _evaluatorId: string | null,
): Promise<DossierSummary> {
  return notYet();
}
export async function previewStatus(
  _campaignId: string,
  _input: { dossierIds: string[]; statusId: string },
): Promise<z.infer<typeof StatusPreview>> {
  return notYet();
}
export async function changeStatus(
  _campaignId: string,
  _input: { dossierIds: string[]; statusId: string },
): Promise<z.infer<typeof StatusChanged>> {
  return notYet();
}
