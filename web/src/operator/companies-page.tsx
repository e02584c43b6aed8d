import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { errorText } from "../accounts/errors";
import { ConfirmDialog } from "../components/confirm-dialog";
import { Notice } from "../components/notice";
import { toast } from "../components/toast";
import { formatDateTime } from "../i18n/format";
import { useT } from "../i18n/i18n";
import { usePageTitle } from "../page-title";
import { Link } from "../router";
import { type CompanyState, type CompanySummary, operator } from "./client";

export function StateBadge({ state }: { state: CompanyState }) {
  const t = useT();
  return (
    <span
      className={`badge operator-state operator-state-${state}`}
      data-state={state}
      data-testid="operator-state"
    >
      <span className="badge-dot" aria-hidden="true" />
      {t(`operator.state.${state}`)}
    </span>
  );
}

/** Every company with its state; « Nouvelle entreprise » creates one and invites its first Admin. */
export function OperatorCompaniesPage() {
  usePageTitle("operator.companies.title");
  const t = useT();
  const [items, setItems] = useState<CompanySummary[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(async () => {
    try {
      setItems((await operator.companies()).items);
    } catch (error) {
      setFailure(errorText(t, error));
    }
  }, [t]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <div className="page-header">
        <div>
          <h1>{t("operator.companies.title")}</h1>
          <p className="page-subtitle">{t("operator.companies.subtitle")}</p>
        </div>
        <button
          className="button button-primary"
          type="button"
          onClick={() => setCreating(true)}
          data-testid="operator-create"
        >
          {t("operator.companies.create")}
        </button>
      </div>
      {failure && (
        <Notice tone="error">
          <p>{failure}</p>
        </Notice>
      )}
      <div className="card table-card">
        <div className="table-scroll">
          <table className="table" data-testid="operator-companies">
            <thead>
              <tr>
                <th>{t("operator.companies.code")}</th>
                <th>{t("operator.companies.name")}</th>
                <th>{t("operator.companies.plan")}</th>
                <th>{t("operator.companies.state")}</th>
                <th>{t("operator.companies.created")}</th>
              </tr>
            </thead>
            <tbody>
              {items?.length === 0 && (
                <tr>
                  <td className="empty-cell" colSpan={5}>
                    {t("operator.companies.empty")}
                  </td>
                </tr>
              )}
              {[...(items ?? [])]
                .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
                .map((company) => (
                  <tr key={company.companyId} data-testid="operator-company-row" data-code={company.code}>
                    <td>
                      <Link href={`/operateur/entreprises/${company.companyId}`}>{company.code}</Link>
                    </td>
                    <td>{company.name}</td>
                    <td>{company.plan}</td>
                    <td>
                      <StateBadge state={company.state} />
                    </td>
                    <td>{formatDateTime(company.createdAt)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </div>
      {creating && (
        <CreateDialog
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            void load();
          }}
        />
      )}
    </>
  );
}

function CreateDialog({ onClose, onCreated }: { onClose: () => void; onCreated: () => void }) {
  const t = useT();
  const id = useId();
  const formId = `${id}-form`;
  const [values, setValues] = useState({
    code: "",
    name: "",
    plan: "standard",
    email: "",
    firstName: "",
    lastName: "",
  });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const set = (field: keyof typeof values, value: string) =>
    setValues((current) => ({ ...current, [field]: value }));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setFailure(null);
    try {
      await operator.create({
        code: values.code.trim().toUpperCase(),
        name: values.name.trim(),
        plan: values.plan.trim() || "standard",
        admin: {
          email: values.email.trim(),
          firstName: values.firstName.trim() || undefined,
          lastName: values.lastName.trim() || undefined,
        },
      });
      toast(t("operator.create.done", { email: values.email.trim() }));
      onCreated();
    } catch (error) {
      setFailure(errorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  const input = (field: keyof typeof values, label: string, type = "text") => (
    <div className="field">
      <label htmlFor={`${id}-${field}`}>{label}</label>
      <input
        id={`${id}-${field}`}
        type={type}
        value={values[field]}
        onChange={(event) => set(field, event.target.value)}
        data-testid={`operator-new-${field}`}
      />
    </div>
  );

  return (
    <ConfirmDialog
      title={t("operator.create.title")}
      description={t("operator.create.subtitle")}
      size="medium"
      onClose={onClose}
      testId="operator-create-dialog"
      action={{ label: t("operator.create.submit"), testId: "operator-create-submit", form: formId, busy }}
    >
      <form id={formId} noValidate onSubmit={submit}>
        {input("code", t("operator.companies.code"))}
        {input("name", t("operator.companies.name"))}
        {input("plan", t("operator.companies.plan"))}
        {input("email", t("operator.create.adminEmail"), "email")}
        {input("firstName", t("operator.create.adminFirstName"))}
        {input("lastName", t("operator.create.adminLastName"))}
        {failure && (
          <Notice tone="error" testId="operator-create-error">
            <p>{failure}</p>
          </Notice>
        )}
      </form>
    </ConfirmDialog>
  );
}
