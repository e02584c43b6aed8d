import { type ReactNode, useMemo, useState } from "react";
import { agencies as agenciesApi } from "../accounts/client";
import { errorText } from "../accounts/errors";
import { FilterBar, FilterSelect, SearchBox } from "../components/filter-bar";
import { Notice } from "../components/notice";
import { toast } from "../components/toast";
import { useDebounced } from "../components/use-debounced";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import {
  type Template,
  type TemplateFilter,
  type TemplateKind,
  templateFilters,
  templateKinds,
  templates,
} from "./client";
import { HighlightedBody, VariableLegend } from "./highlighted-body";

export function KindBadge({ kind }: { kind: TemplateKind }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-kind-${kind}`} data-kind={kind}>
      <Icon name={kind === "yesno" ? "yesNo" : "announce"} size={12} />
      {t(`templates.kind.${kind}`)}
    </span>
  );
}

export function ScopeBadge({ template, agencyName }: { template: Template; agencyName?: string }) {
  const { t } = useI18n();
  return (
    <span
      className={`badge badge-scope-${template.scope}`}
      data-scope={template.scope}
      title={template.scope === "agency" && agencyName ? agencyName : undefined}
    >
      {t(`templates.scope.${template.scope}`)}
      {template.scope === "agency" && agencyName ? ` · ${agencyName}` : ""}
    </span>
  );
}

function StarGlyph({ size, className }: { size: number; className?: string }) {
  return (
    <svg viewBox="0 0 24 24" width={size} height={size} aria-hidden="true" className={className}>
      <path d="m12 3 2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1-4.4-4.3 6.1-.9z" />
    </svg>
  );
}

export function StarButton({
  template,
  onChange,
}: {
  template: Template;
  onChange: (saved: Template) => void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const toggle = async () => {
    setBusy(true);
    try {
      const { template: saved } = await templates.favourite(template.templateId, !template.favourite);
      onChange(saved);
    } catch (error) {
      toast(errorText(t, error), "error");
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className={template.favourite ? "star-button is-on" : "star-button"}
      aria-pressed={template.favourite}
      aria-label={t(template.favourite ? "templates.unstar" : "templates.star", { name: template.name })}
      title={t(template.favourite ? "templates.unstar" : "templates.star", { name: template.name })}
      disabled={busy}
      onClick={toggle}
      data-testid="template-star"
    >
      <StarGlyph size={18} />
    </button>
  );
}

/**
 * Templates as a picker: filters Favoris / Mes modèles / Entreprise / Tous, search by name or text,
 * star toggle, scope and kind badges. The page adds edit, duplicate and delete; the composer picks one.
 */
export function TemplateBrowser({
  kind: fixedKind,
  actions,
  onPick,
  initialFilter = "all",
}: {
  /** Only templates of this kind (the composer's). */
  kind?: TemplateKind;
  /** Buttons shown on each template (the Modèles page). */
  actions?: (template: Template, replace: (saved: Template | null) => void) => ReactNode;
  /** Picking mode: the whole card chooses the template. */
  onPick?: (template: Template) => void;
  initialFilter?: TemplateFilter;
}) {
  const { t, dateTime, number } = useI18n();
  const [filter, setFilter] = useState<TemplateFilter>(initialFilter);
  const [search, setSearch] = useState("");
  const [kind, setKind] = useState<TemplateKind | "">(fixedKind ?? "");
  const debounced = useDebounced(search.trim(), 250);
  const query = { filter, search: debounced || undefined, kind: kind || undefined };
  const list = useResource(() => templates.list(query), JSON.stringify(query));
  const agencyList = useResource(() => agenciesApi.list(true));
  const agencyNames = useMemo(
    () => new Map((agencyList.data?.items ?? []).map((agency) => [agency.agencyId, agency.name])),
    [agencyList.data],
  );
  const items = list.data?.items ?? [];

  const replace = (templateId: string, saved: Template | null) =>
    list.set((current) =>
      current
        ? {
            items: current.items
              .map((item) => (item.templateId === templateId ? saved : item))
              .filter((item): item is Template => item !== null)
              .filter((item) => filter !== "favourites" || item.favourite),
          }
        : current,
    );

  return (
    <div className="template-browser" data-testid="template-browser">
      <div className="template-filters">
        <div className="tabs" role="tablist" aria-label={t("templates.filter.label")}>
          {templateFilters.map((option) => (
            <button
              key={option}
              type="button"
              role="tab"
              className="tab"
              aria-selected={filter === option}
              onClick={() => setFilter(option)}
              data-testid={`template-filter-${option}`}
            >
              {option === "favourites" && <StarGlyph size={14} className="star-glyph" />}
              {t(`templates.filter.${option}`)}
            </button>
          ))}
        </div>
        <FilterBar
          end={
            list.data && (
              <span className="text-subtle">{t("templates.count", { count: number(items.length) })}</span>
            )
          }
        >
          <SearchBox
            label={t("templates.search")}
            placeholder={t("templates.searchPlaceholder")}
            value={search}
            onChange={setSearch}
            testId="template-search"
          />
          {!fixedKind && (
            <FilterSelect
              label={t("templates.field.kind")}
              allLabel={t("templates.kind.all")}
              value={kind}
              options={templateKinds.map((option) => ({
                value: option,
                label: t(`templates.kind.${option}`),
              }))}
              onChange={setKind}
              testId="template-kind-filter"
            />
          )}
        </FilterBar>
      </div>

      {list.error !== undefined && (
        <Notice tone="error">
          <p>{errorText(t, list.error)}</p>
        </Notice>
      )}
      {!list.data && list.loading && <p className="text-subtle">{t("app.loading")}</p>}
      {list.data && items.length === 0 && (
        <div className="empty-state template-empty" data-testid="templates-empty">
          <Icon name="templates" size={28} className="empty-icon" />
          <p>
            {t(
              debounced
                ? "templates.emptySearch"
                : filter === "favourites"
                  ? "templates.emptyFavourites"
                  : "templates.empty",
            )}
          </p>
        </div>
      )}
      <ul className="template-list" aria-busy={list.loading}>
        {items.map((template) => (
          <li
            key={template.templateId}
            className={onPick ? "template-card card is-pickable" : "template-card card"}
            data-testid="template-card"
            data-name={template.name}
          >
            <div className="template-card-head">
              <StarButton template={template} onChange={(saved) => replace(template.templateId, saved)} />
              <div className="template-card-title">
                {onPick ? (
                  <button
                    type="button"
                    className="template-pick"
                    onClick={() => onPick(template)}
                    data-testid="template-pick"
                  >
                    {template.name}
                  </button>
                ) : (
                  <h3>{template.name}</h3>
                )}
                <div className="template-badges">
                  <KindBadge kind={template.kind} />
                  <ScopeBadge
                    template={template}
                    agencyName={template.agencyId ? agencyNames.get(template.agencyId) : undefined}
                  />
                  {template.emailHtml && (
                    <span className="badge">
                      <Icon name="email" size={12} />
                      {t("templates.hasEmail")}
                    </span>
                  )}
                </div>
              </div>
            </div>
            {template.smsBody ? (
              <HighlightedBody body={template.smsBody} />
            ) : (
              <p className="text-subtle template-subject">{template.emailSubject || template.emailText}</p>
            )}
            <div className="template-card-foot">
              <VariableLegend bodies={[template.smsBody, template.emailSubject, template.emailHtml]} />
              <span className="text-subtle">
                {t("templates.byOn", { name: template.owner.name, date: dateTime(template.updatedAt) })}
              </span>
            </div>
            {actions && (
              <div className="template-card-actions">
                {actions(template, (saved) => replace(template.templateId, saved))}
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
