import * as Storage from "../platform/storage";
import { fileKeyOf } from "./dossier";
import {
  DossierContactEntity,
  DossierEmailEntity,
  DossierEntity,
  DossierFileEntity,
} from "./recruitment.entity";

/**
 * GDPR erasure of a contact reaches their dossiers: answers, names, addresses, files and the emails'
 * addresses go; the dossier's id, campaign and status history (staff's moves) stay, counted but pointing
 * at nobody. The messages themselves are erased with the contact's (core/delivery/erasure.ts).
 */
export async function forgetContact(companyId: string, contactId: string) {
  const { data: links } = await DossierContactEntity.query
    .byContact({ companyId, contactId })
    .go({ pages: "all" });
  const erasedAt = new Date().toISOString();
  for (const link of links) {
    const { dossierId, campaignId } = link;
    const files = await DossierFileEntity.query.byDossier({ companyId, dossierId }).go({ pages: "all" });
    for (const file of files.data) {
      await Storage.remove("attachments", fileKeyOf(companyId, campaignId, dossierId, file.fileId));
      await DossierFileEntity.delete({ companyId, dossierId, fileId: file.fileId }).go();
    }
    const emails = await DossierEmailEntity.query.byDossier({ companyId, dossierId }).go({ pages: "all" });
    if (emails.data.length > 0) await DossierEmailEntity.delete(emails.data).go();
    await DossierEntity.patch({ companyId, campaignId, dossierId })
      .set({ erasedAt, updatedAt: erasedAt, answers: {} })
      .remove(["firstName", "lastName", "email", "mobile", "searchText", "resumeHash", "contactId"])
      .go({ response: "none" })
      .catch(() => undefined);
    await DossierContactEntity.delete({ companyId, contactId, dossierId }).go();
  }
  return links.length;
}
