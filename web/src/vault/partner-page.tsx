import "./vault.css";
import { type ReactNode, useState } from "react";
import { DataTable } from "../components/data-table";
import { ErrorNotice } from "../components/notice";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { formatPhone } from "../format-phone";
import { useI18n } from "../i18n/i18n";
import { isMessageKey } from "../i18n/messages";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link, matchPath, usePathname } from "../router";
import { partners, type SignedLink, type VaultDocument, vault } from "./client";
import { LinkDialog } from "./link-dialog";
import { PartnerDialog } from "./partner-dialog";
import { fileSize, vaultErrorText } from "./vault-text";

/** A partner: details, documents with what became of each (notified, opened, downloaded), links, history. */
export function PartnerPage() {
  usePageTitle("vault.partner.title");
  const { t, dateTime, number } = useI18n();
  const partnerId = matchPath("/vault/partners/:partnerId", usePathname())?.partnerId ?? "";
  const details = useResource(() => partners.get(partnerId), partnerId);
  const history = useResource(() => partners.history(partnerId), partnerId);
  const categories = useResource(() => partners.categories());
  const [dialog, setDialog] = useState<"edit" | "link" | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const partner = details.data?.partner;
  const names = new Map(
    (categories.data?.items ?? []).map((category) => [category.categoryId, category.name]),
  );
  const dash = <span className="text-subtle">—</span>;

  const revoke = async (link: SignedLink) => {
    setFailure(null);
    try {
      await partners.revokeLink(partnerId, link.linkId);
      toast(t("vault.links.revoked"));
      await details.reload();
    } catch (error) {
      setFailure(vaultErrorText(t, error));
    }
  };

  const notification = (document: VaultDocument): ReactNode => {
    const sent = document.notification;
    if (!sent) return dash;
    const key = `campaigns.messageStatus.${sent.status}`;
    return (
      <span data-testid="document-notified">
        {sent.channel === "sms" ? "SMS" : t("vault.partner.channel.email")} ·{" "}
        {isMessageKey(key) ? t(key) : sent.status}
      </span>
    );
  };

  const seen = (first: string | undefined, count: number, testId: string): ReactNode =>
    count > 0 && first ? (
      <span data-testid={testId} data-count={count}>
        {dateTime(first)}
        <span className="text-subtle"> · {t("vault.documents.times", { count: number(count) })}</span>
      </span>
    ) : (
      <span className="text-subtle" data-testid={testId} data-count={0}>
        {t("vault.documents.never")}
      </span>
    );

  return (
    <div className="page page-wide">
      <Link href="/vault/partners" className="back-link vault-back">
        <Icon name="chevronLeft" />
        {t("vault.partners.title")}
      </Link>
      <ErrorNotice text={details.error ? vaultErrorText(t, details.error) : failure} />
      {partner && (
        <>
          <header className="page-header">
            <div>
              <h1 data-testid="partner-name">{partner.name}</h1>
              <p className="page-subtitle">
                {partner.categoryIds.map((id) => names.get(id) ?? id).join(", ")}
              </p>
            </div>
            <div className="page-actions">
              <button
                type="button"
                className="button"
                onClick={() => setDialog("edit")}
                data-testid="partner-edit"
              >
                <Icon name="edit" />
                {t("common.edit")}
              </button>
              <button
                type="button"
                className="button button-primary"
                onClick={() => setDialog("link")}
                data-testid="link-new"
              >
                <Icon name="key" />
                {t("vault.links.new")}
              </button>
            </div>
          </header>

          <section className="card vault-details" aria-label={t("vault.partner.details")}>
            <dl className="details-grid">
              <div>
                <dt>{t("vault.partner.matricule")}</dt>
                <dd>{partner.matricule ?? dash}</dd>
              </div>
              <div>
                <dt>{t("vault.partner.mobile")}</dt>
                <dd className="tabular">{partner.mobile ? formatPhone(partner.mobile) : dash}</dd>
              </div>
              <div>
                <dt>{t("vault.partner.email")}</dt>
                <dd>{partner.email ?? dash}</dd>
              </div>
              <div>
                <dt>{t("vault.partner.channel")}</dt>
                <dd>
                  {partner.preferredChannel === "email"
                    ? t("vault.partner.channel.email")
                    : partner.preferredChannel === "sms"
                      ? "SMS"
                      : t("vault.partner.channel.auto")}
                </dd>
              </div>
              <div>
                <dt>{t("vault.partner.language")}</dt>
                <dd>{partner.language === "en" ? "English" : "Français"}</dd>
              </div>
            </dl>
          </section>
        </>
      )}

      <h2 className="section-title">{t("vault.documents.title")}</h2>
      <DataTable
        caption={t("vault.documents.title")}
        testId="partner-documents"
        scroll
        busy={details.loading}
        columns={7}
        head={
          <>
            <th scope="col">{t("vault.documents.file")}</th>
            <th scope="col">{t("vault.documents.type")}</th>
            <th scope="col">{t("vault.documents.published")}</th>
            <th scope="col">{t("vault.documents.notified")}</th>
            <th scope="col">{t("vault.documents.opened")}</th>
            <th scope="col">{t("vault.documents.downloaded")}</th>
            <th scope="col">{t("vault.signature.column")}</th>
          </>
        }
        empty={
          (details.data?.documents.length ?? 0) === 0 &&
          (details.loading ? t("app.loading") : t("vault.documents.empty"))
        }
      >
        {details.data?.documents.map((document) => (
          <tr key={document.documentId} data-testid="document-row" data-status={document.status}>
            <th scope="row">
              {document.fileName}
              <span className="text-subtle"> · {fileSize(document.size, t, number)}</span>
            </th>
            <td>{document.typeName}</td>
            <td>
              {document.status === "published" && document.publishedAt ? (
                <span className="badge badge-status-active">
                  {t("vault.documents.status.published")} · {dateTime(document.publishedAt)}
                </span>
              ) : (
                <span className="badge" title={document.rejectedReason}>
                  {t(`vault.documents.status.${document.status}`)}
                </span>
              )}
            </td>
            <td>{notification(document)}</td>
            <td>{seen(document.firstOpenedAt, document.opens, "document-opened")}</td>
            <td>{seen(document.firstDownloadedAt, document.downloads, "document-downloaded")}</td>
            <td>
              <SignatureCell document={document} />
            </td>
          </tr>
        ))}
      </DataTable>

      <h2 className="section-title">{t("vault.links.title")}</h2>
      <DataTable
        caption={t("vault.links.title")}
        testId="partner-links"
        scroll
        columns={5}
        actionsColumn
        head={
          <>
            <th scope="col">{t("vault.links.created")}</th>
            <th scope="col">{t("vault.links.validUntil")}</th>
            <th scope="col">{t("vault.links.uses")}</th>
            <th scope="col">{t("vault.links.status")}</th>
          </>
        }
        empty={(details.data?.links.length ?? 0) === 0 && t("vault.links.empty")}
      >
        {details.data?.links.map((link) => (
          <tr key={link.linkId} data-testid="link-row" data-status={link.status}>
            <td>{dateTime(link.createdAt)}</td>
            <td>{dateTime(link.validUntil)}</td>
            <td className="tabular">
              {link.maxUses ? `${number(link.uses)} / ${number(link.maxUses)}` : number(link.uses)}
            </td>
            <td>
              <span className={link.status === "active" ? "badge badge-status-active" : "badge"}>
                {t(`vault.links.status.${link.status}`)}
              </span>
            </td>
            <td className="actions-cell">
              {link.status === "active" && (
                <button
                  type="button"
                  className="button button-small button-quiet button-quiet-danger"
                  onClick={() => void revoke(link)}
                  data-testid="link-revoke"
                >
                  <Icon name="ban" />
                  {t("vault.links.revoke")}
                </button>
              )}
            </td>
          </tr>
        ))}
      </DataTable>

      <div className="vault-section-head">
        <h2 className="section-title">{t("vault.history.title")}</h2>
        {/* same origin, session cookie: a plain link downloads the workbook */}
        <a
          href={partners.historyExportPath(partnerId)}
          className="button button-small"
          download
          data-testid="history-export"
        >
          <Icon name="download" />
          {t("vault.history.export")}
        </a>
      </div>
      <DataTable
        caption={t("vault.history.title")}
        testId="partner-history"
        scroll
        busy={history.loading}
        error={history.error ? vaultErrorText(t, history.error) : null}
        columns={4}
        head={
          <>
            <th scope="col">{t("vault.history.at")}</th>
            <th scope="col">{t("vault.history.action")}</th>
            <th scope="col">{t("vault.documents.file")}</th>
            <th scope="col">{t("vault.history.ip")}</th>
          </>
        }
        empty={(history.data?.items.length ?? 0) === 0 && t("vault.history.empty")}
      >
        {history.data?.items.map((entry) => (
          <tr key={entry.accessId} data-testid="history-row" data-action={entry.action}>
            <td className="nowrap">{dateTime(entry.at)}</td>
            <td>
              {t(`vault.history.action.${entry.action}`)}
              {entry.via && <span className="text-subtle"> · {t(`vault.history.via.${entry.via}`)}</span>}
            </td>
            <td>{entry.fileName ?? dash}</td>
            <td className="tabular">{entry.ip ?? dash}</td>
          </tr>
        ))}
      </DataTable>

      {dialog === "edit" && partner && categories.data && (
        <PartnerDialog
          partner={partner}
          categories={categories.data.items}
          onClose={() => setDialog(null)}
          onSaved={() => void details.reload()}
        />
      )}
      {dialog === "link" && (
        <LinkDialog
          partnerId={partnerId}
          onClose={() => setDialog(null)}
          onCreated={() => void details.reload()}
        />
      )}
    </div>
  );
}

/** « À signer » (until when, reminders sent), « Signé » with the signed PDF and its evidence, « Expiré ». */
function SignatureCell({ document }: { document: VaultDocument }) {
  const { t, dateTime, number } = useI18n();
  const signature = document.signature;
  if (!signature)
    return document.sealed ? (
      <span className="badge">{t("vault.signature.sealed")}</span>
    ) : (
      <span className="text-subtle">—</span>
    );
  const badge = {
    to_sign: "badge-invitation-pending",
    signed: "badge-status-active",
    expired: "badge-invitation-expired",
  }[signature.state];
  return (
    <span className="signature-cell" data-testid="document-signature" data-state={signature.state}>
      <span className={`badge ${badge}`}>{t(`vault.signature.state.${signature.state}`)}</span>
      {signature.state === "to_sign" && signature.deadline && (
        <span className="text-subtle">
          {" "}
          · {t("vault.signature.until", { date: dateTime(signature.deadline) })}
          {signature.remindersSent > 0 &&
            ` · ${t("vault.signature.reminders", { count: number(signature.remindersSent) })}`}
        </span>
      )}
      {signature.state === "signed" && (
        <>
          {signature.signedAt && <span className="text-subtle"> · {dateTime(signature.signedAt)}</span>}{" "}
          <a href={vault.signedPath(document.documentId)} data-testid="document-signed-pdf">
            {t("vault.signature.pdf")}
          </a>{" "}
          ·{" "}
          <a href={vault.evidencePath(document.documentId)} download data-testid="document-evidence">
            {t("vault.signature.evidence")}
          </a>
        </>
      )}
    </span>
  );
}
