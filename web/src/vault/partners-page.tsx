import "./vault.css";
import { useMemo, useState } from "react";
import { DataTable, LoadMore } from "../components/data-table";
import { FilterBar, FilterSelect, SearchBox } from "../components/filter-bar";
import { useDebounced } from "../components/use-debounced";
import { usePages } from "../components/use-pages";
import { useResource } from "../components/use-resource";
import { contacts } from "../contacts/client";
import { formatPhone } from "../format-phone";
import { useT } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link, navigate, useSearchParam } from "../router";
import { partners } from "./client";
import { PartnerImportDialog } from "./import-dialog";
import { PartnerDialog } from "./partner-dialog";
import { vaultErrorText } from "./vault-text";

const partnerHref = (partnerId: string) => `/vault/partners/${encodeURIComponent(partnerId)}`;

/** Partners of the vault: search by name, matricule, mobile or email, filter by category, create one. */
export function PartnersPage() {
  usePageTitle("vault.partners.title");
  const t = useT();
  const [search, setSearch] = useState("");
  const [categoryId, setCategoryId] = useState("");
  const [creating, setCreating] = useState(false);
  // « Créer un partenaire » on a contact lands here with its id: the dialog opens filled from it.
  const fromContact = useSearchParam("fromContact");
  const contact = useResource(
    () => (fromContact ? contacts.get(fromContact) : Promise.resolve(undefined)),
    fromContact ?? "",
  );
  const [importing, setImporting] = useState(false);
  // Bumped after an import so the list reads again.
  const [version, setVersion] = useState(0);
  const q = useDebounced(search.trim(), 250);
  const categories = useResource(() => partners.categories());
  const categoryNames = useMemo(
    () => new Map((categories.data?.items ?? []).map((category) => [category.categoryId, category.name])),
    [categories.data],
  );
  const filters = { q: q || undefined, categoryId: categoryId || undefined };
  const page = usePages(
    (cursor) => partners.search({ ...filters, cursor }),
    JSON.stringify({ ...filters, version }),
    (partner) => partner.partnerId,
  );
  const filtered = Boolean(filters.q || filters.categoryId);

  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t("vault.partners.title")}</h1>
          <p className="page-subtitle">{t("vault.partners.subtitle")}</p>
        </div>
        <div className="page-actions">
          <button
            type="button"
            className="button"
            onClick={() => setImporting(true)}
            data-testid="partners-import"
          >
            <Icon name="upload" />
            {t("vault.import.open")}
          </button>
          <Link href="/vault/upload" className="button">
            <Icon name="upload" />
            {t("vault.nav.upload")}
          </Link>
          <button
            type="button"
            className="button button-primary"
            disabled={!categories.data}
            onClick={() => setCreating(true)}
            data-testid="partners-new"
          >
            <Icon name="plus" />
            {t("vault.partners.new")}
          </button>
        </div>
      </header>

      <FilterBar
        clearLabel={t("vault.partners.clear")}
        onClear={
          filtered
            ? () => {
                setSearch("");
                setCategoryId("");
              }
            : undefined
        }
      >
        <SearchBox
          label={t("vault.partners.search")}
          placeholder={t("vault.partners.searchPlaceholder")}
          value={search}
          onChange={setSearch}
          testId="partners-search"
        />
        <FilterSelect
          label={t("vault.partner.categories")}
          allLabel={t("vault.partners.allCategories")}
          value={categoryId}
          options={(categories.data?.items ?? []).map((category) => ({
            value: category.categoryId,
            label: category.name,
          }))}
          onChange={setCategoryId}
          testId="partners-category"
        />
      </FilterBar>

      <DataTable
        caption={t("vault.partners.title")}
        testId="partners-table"
        scroll
        busy={page.loading}
        error={page.error === undefined ? null : vaultErrorText(t, page.error)}
        columns={5}
        head={
          <>
            <th scope="col">{t("vault.partner.name")}</th>
            <th scope="col">{t("vault.partner.matricule")}</th>
            <th scope="col">{t("vault.partner.categories")}</th>
            <th scope="col">{t("vault.partner.mobile")}</th>
            <th scope="col">{t("vault.partner.email")}</th>
          </>
        }
        empty={
          page.items.length === 0 &&
          (page.loading
            ? t("app.loading")
            : t(filtered ? "vault.partners.emptyFiltered" : "vault.partners.empty"))
        }
      >
        {page.items.map((partner) => (
          <tr
            key={partner.partnerId}
            className="clickable-row"
            data-testid="partner-row"
            data-id={partner.partnerId}
            onClick={() => navigate(partnerHref(partner.partnerId))}
          >
            <th scope="row">
              <Link href={partnerHref(partner.partnerId)} className="person-name" data-testid="partner-open">
                {partner.name}
              </Link>
            </th>
            <td className="tabular">{partner.matricule ?? <span className="text-subtle">—</span>}</td>
            <td>
              {partner.categoryIds.map((id) => categoryNames.get(id) ?? id).join(", ") || (
                <span className="text-subtle">—</span>
              )}
            </td>
            <td className="nowrap tabular">
              {partner.mobile ? formatPhone(partner.mobile) : <span className="text-subtle">—</span>}
            </td>
            <td className="email-cell">{partner.email ?? <span className="text-subtle">—</span>}</td>
          </tr>
        ))}
      </DataTable>
      {page.cursor && (
        <LoadMore label={t("vault.partners.more")} loading={page.loading} onMore={() => void page.more()} />
      )}

      {importing && (
        <PartnerImportDialog
          onClose={() => setImporting(false)}
          onImported={() => setVersion((value) => value + 1)}
        />
      )}
      {creating && categories.data && (
        <PartnerDialog
          categories={categories.data.items}
          onClose={() => setCreating(false)}
          onSaved={(partner) => navigate(partnerHref(partner.partnerId))}
        />
      )}
      {fromContact && contact.data?.contact && categories.data && (
        <PartnerDialog
          prefill={{
            firstName: contact.data.contact.firstName ?? "",
            lastName: contact.data.contact.lastName ?? "",
            mobile:
              contact.data.contact.mobile && contact.data.contact.smsCapable
                ? formatPhone(contact.data.contact.mobile)
                : "",
            email: contact.data.contact.email ?? "",
            preferredChannel: contact.data.contact.preferredChannel ?? "",
          }}
          categories={categories.data.items}
          onClose={() => navigate("/vault/partners", { replace: true })}
          onSaved={(partner) => navigate(partnerHref(partner.partnerId))}
        />
      )}
    </div>
  );
}
