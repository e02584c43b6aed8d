import "./vault.css";
import { type FormEvent, useId, useState } from "react";
import { DataTable } from "../components/data-table";
import { ErrorNotice } from "../components/notice";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { type Typology, typologies, vault } from "./client";
import { vaultErrorText } from "./vault-text";

/** Document types (Admin): each decides the typology a document is filed under, signature and retention. */
export function TypesPage() {
  usePageTitle("vault.types.title");
  const { t, number } = useI18n();
  const id = useId();
  const types = useResource(() => vault.types());
  const [name, setName] = useState("");
  const [typology, setTypology] = useState<Typology>("paie");
  const [mustSign, setMustSign] = useState(false);
  const [companySeal, setCompanySeal] = useState(false);
  const [signDays, setSignDays] = useState("14");
  const [months, setMonths] = useState("60");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setFailure(t("vault.types.nameMissing"));
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const { type } = await vault.createType({
        name: name.trim(),
        typology,
        mustSign,
        companySeal,
        signDays: Math.min(90, Math.max(1, Number(signDays) || 14)),
        retentionMonths: Number(months) || 60,
      });
      toast(t("vault.types.created", { name: type.name }));
      setName("");
      await types.reload();
    } catch (error) {
      setFailure(vaultErrorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  const toggleSeal = async (typeId: string, next: boolean) => {
    setFailure(null);
    try {
      await vault.updateType(typeId, { companySeal: next });
      await types.reload();
    } catch (error) {
      setFailure(vaultErrorText(t, error));
    }
  };

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t("vault.types.title")}</h1>
          <p className="page-subtitle">{t("vault.types.subtitle")}</p>
        </div>
      </header>
      <DataTable
        caption={t("vault.types.title")}
        testId="types-table"
        busy={types.loading}
        error={types.error ? vaultErrorText(t, types.error) : null}
        columns={5}
        head={
          <>
            <th scope="col">{t("vault.types.name")}</th>
            <th scope="col">{t("vault.types.typology")}</th>
            <th scope="col">{t("vault.types.mustSign")}</th>
            <th scope="col">{t("vault.types.companySeal")}</th>
            <th scope="col">{t("vault.types.retention")}</th>
          </>
        }
        empty={!types.data && t("app.loading")}
      >
        {types.data?.items.map((type) => (
          <tr key={type.typeId} data-testid="type-row">
            <th scope="row">{type.name}</th>
            <td>{t(`vault.typology.${type.typology}`)}</td>
            <td>
              {type.mustSign
                ? `${t("vault.types.yes")} · ${t("vault.types.signDays", { count: number(type.signDays) })}`
                : t("vault.types.no")}
            </td>
            <td>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={type.companySeal}
                  onChange={(event) => void toggleSeal(type.typeId, event.target.checked)}
                  aria-label={`${t("vault.types.companySeal")} : ${type.name}`}
                  data-testid="type-company-seal"
                />
                <span>{type.companySeal ? t("vault.types.yes") : t("vault.types.no")}</span>
              </label>
            </td>
            <td className="tabular">{t("vault.types.months", { count: number(type.retentionMonths) })}</td>
          </tr>
        ))}
      </DataTable>

      <ErrorNotice text={failure} />
      <section className="card vault-form">
        <h2 className="card-title">{t("vault.types.add")}</h2>
        <form className="form form-tight" onSubmit={submit} noValidate>
          <ErrorNotice text={failure} />
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${id}-name`}>{t("vault.types.name")}</label>
              <input
                id={`${id}-name`}
                value={name}
                maxLength={60}
                onChange={(event) => setName(event.target.value)}
                data-testid="type-name"
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-typology`}>{t("vault.types.typology")}</label>
              <select
                id={`${id}-typology`}
                value={typology}
                onChange={(event) => setTypology(event.target.value as Typology)}
                data-testid="type-typology"
              >
                {typologies.map((option) => (
                  <option key={option} value={option}>
                    {t(`vault.typology.${option}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${id}-months`}>{t("vault.types.retentionMonths")}</label>
              <input
                id={`${id}-months`}
                type="number"
                min={1}
                max={600}
                value={months}
                onChange={(event) => setMonths(event.target.value)}
                data-testid="type-months"
              />
            </div>
            {mustSign && (
              <div className="field">
                <label htmlFor={`${id}-sign-days`}>{t("vault.types.signDaysLabel")}</label>
                <input
                  id={`${id}-sign-days`}
                  type="number"
                  min={1}
                  max={90}
                  value={signDays}
                  onChange={(event) => setSignDays(event.target.value)}
                  data-testid="type-sign-days"
                />
              </div>
            )}
            <label className="checkbox field-checkbox">
              <input
                type="checkbox"
                checked={mustSign}
                onChange={(event) => setMustSign(event.target.checked)}
              />
              <span>{t("vault.types.mustSign")}</span>
            </label>
            <label className="checkbox field-checkbox">
              <input
                type="checkbox"
                checked={companySeal}
                onChange={(event) => setCompanySeal(event.target.checked)}
              />
              <span>{t("vault.types.companySeal")}</span>
            </label>
          </div>
          <div className="form-actions form-actions-start">
            <button type="submit" className="button button-primary" disabled={busy} data-testid="type-submit">
              <Icon name="plus" />
              {t("vault.types.add")}
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
