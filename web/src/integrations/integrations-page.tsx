import { type FormEvent, useState } from "react";
import { errorText } from "../accounts/errors";
import { api, unwrap } from "../api";
import { ConfirmDialog } from "../components/confirm-dialog";
import { DataTable } from "../components/data-table";
import { Modal } from "../components/modal";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";

const scopes = ["read", "send", "dossiers"] as const;
const events = [
  "dossier.submitted",
  "dossier.status_changed",
  "message.replied",
  "message.status_changed",
] as const;
type Scope = (typeof scopes)[number];
type WebhookEvent = (typeof events)[number];

const loadKeys = () => unwrap(api.api["api-keys"].$get({}, { init: { cache: "no-store" } }));
const loadHooks = () => unwrap(api.api.webhooks.$get({}, { init: { cache: "no-store" } }));
const loadDeliveries = (endpointId: string) =>
  unwrap(
    api.api.webhooks[":endpointId"].deliveries.$get(
      { param: { endpointId } },
      { init: { cache: "no-store" } },
    ),
  );

/** A secret shown once, with « Copier ». */
function Secret({ value, testId }: { value: string; testId: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <div className="stack">
      <p className="text-muted">{t("integrations.shownOnce")}</p>
      <code data-testid={testId} style={{ wordBreak: "break-all" }}>
        {value}
      </code>
      <button
        type="button"
        className="button button-small"
        onClick={() =>
          void navigator.clipboard.writeText(value).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        <Icon name={copied ? "check" : "copy"} />
        {t(copied ? "common.copied" : "integrations.copy")}
      </button>
    </div>
  );
}

function KeysTab() {
  const { t, dateTime } = useI18n();
  const keys = useResource(loadKeys);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<Scope[]>(["read"]);
  const [shown, setShown] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<{ keyId: string; name: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const created = await unwrap(api.api["api-keys"].$post({ json: { name, scopes: chosen } }));
      setShown(created.key);
      setCreating(false);
      setName("");
      void keys.reload();
    } catch (error) {
      toast(errorText(t, error), "error");
    } finally {
      setBusy(false);
    }
  };
  const revoke = async () => {
    if (!revoking) return;
    setBusy(true);
    try {
      await unwrap(api.api["api-keys"][":keyId"].revoke.$post({ param: { keyId: revoking.keyId } }));
      toast(t("integrations.keys.revoked"));
      setRevoking(null);
      void keys.reload();
    } catch (error) {
      toast(errorText(t, error), "error");
    } finally {
      setBusy(false);
    }
  };
  const items = keys.data?.items ?? [];
  return (
    <section className="stack">
      <div>
        <button
          type="button"
          className="button button-primary"
          onClick={() => setCreating(true)}
          data-testid="key-create"
        >
          <Icon name="plus" />
          {t("integrations.keys.create")}
        </button>
      </div>
      <DataTable
        testId="api-keys"
        error={keys.error === undefined ? null : errorText(t, keys.error)}
        columns={6}
        actionsColumn
        head={
          <>
            <th scope="col">{t("integrations.keys.name")}</th>
            <th scope="col">{t("integrations.keys.scopes")}</th>
            <th scope="col">{t("integrations.keys.created")}</th>
            <th scope="col">{t("integrations.keys.lastUsed")}</th>
            <th scope="col">{t("integrations.keys.state")}</th>
          </>
        }
        empty={keys.data && items.length === 0 && t("integrations.keys.empty")}
      >
        {items.map((key) => (
          <tr key={key.keyId} data-testid="api-key-row">
            <td>{key.name}</td>
            <td>{key.scopes.map((scope) => t(`integrations.scope.${scope}`)).join(", ")}</td>
            <td className="nowrap">
              {dateTime(key.createdAt)} <span className="person-detail">{key.createdByName}</span>
            </td>
            <td className="nowrap">{key.lastUsedAt ? dateTime(key.lastUsedAt) : "—"}</td>
            <td>{key.revokedAt ? t("integrations.keys.isRevoked") : t("integrations.keys.active")}</td>
            <td className="actions-cell">
              {!key.revokedAt && (
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => setRevoking({ keyId: key.keyId, name: key.name })}
                  data-testid="key-revoke"
                >
                  {t("integrations.keys.revoke")}
                </button>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      {creating && (
        <ConfirmDialog
          title={t("integrations.keys.create")}
          onClose={() => setCreating(false)}
          size="medium"
          action={{
            label: t("integrations.keys.createAction"),
            testId: "key-create-submit",
            form: "key-form",
            busy,
            disabled: !name.trim() || chosen.length === 0,
          }}
        >
          <form id="key-form" className="stack" onSubmit={(event) => void create(event)}>
            <label className="field-label" htmlFor="key-name">
              {t("integrations.keys.name")}
            </label>
            <input
              id="key-name"
              className="input"
              value={name}
              maxLength={80}
              onChange={(event) => setName(event.target.value)}
              data-testid="key-name"
            />
            <fieldset>
              <legend className="field-label">{t("integrations.keys.scopes")}</legend>
              {scopes.map((scope) => (
                <label key={scope} className="checkbox">
                  <input
                    type="checkbox"
                    checked={chosen.includes(scope)}
                    onChange={(event) =>
                      setChosen(
                        event.target.checked ? [...chosen, scope] : chosen.filter((other) => other !== scope),
                      )
                    }
                  />
                  {t(`integrations.scope.${scope}`)}
                </label>
              ))}
            </fieldset>
          </form>
        </ConfirmDialog>
      )}
      {shown && (
        <Modal title={t("integrations.keys.createdTitle")} onClose={() => setShown(null)} testId="key-shown">
          <Secret value={shown} testId="key-value" />
        </Modal>
      )}
      {revoking && (
        <ConfirmDialog
          title={t("integrations.keys.revokeTitle")}
          description={t("integrations.keys.revokeText").replace("{name}", revoking.name)}
          onClose={() => setRevoking(null)}
          action={{
            label: t("integrations.keys.revoke"),
            tone: "danger",
            testId: "key-revoke-confirm",
            busy,
            onClick: () => void revoke(),
          }}
        />
      )}
    </section>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const { t, dateTime, number } = useI18n();
  const deliveries = useResource(() => loadDeliveries(endpointId), endpointId);
  const resend = async (eventId: string) => {
    try {
      await unwrap(
        api.api.webhooks[":endpointId"].deliveries[":eventId"].redeliver.$post({
          param: { endpointId, eventId },
        }),
      );
      toast(t("integrations.hooks.resent"));
      void deliveries.reload();
    } catch (error) {
      toast(errorText(t, error), "error");
    }
  };
  const items = deliveries.data?.items ?? [];
  return (
    <DataTable
      testId="webhook-deliveries"
      error={deliveries.error === undefined ? null : errorText(t, deliveries.error)}
      columns={7}
      actionsColumn
      head={
        <>
          <th scope="col">{t("integrations.hooks.at")}</th>
          <th scope="col">{t("integrations.hooks.event")}</th>
          <th scope="col">{t("integrations.hooks.status")}</th>
          <th scope="col" className="num">
            {t("integrations.hooks.code")}
          </th>
          <th scope="col" className="num">
            {t("integrations.hooks.attempts")}
          </th>
          <th scope="col">{t("integrations.hooks.error")}</th>
        </>
      }
      empty={deliveries.data && items.length === 0 && t("integrations.hooks.noDeliveries")}
    >
      {items.map((item) => (
        <tr key={item.eventId} data-testid="webhook-delivery-row" data-status={item.status}>
          <td className="nowrap">{dateTime(item.lastAttemptAt ?? item.createdAt)}</td>
          <td>{item.event}</td>
          <td>{t(`integrations.delivery.${item.status}`)}</td>
          <td className="num tabular">{item.responseStatus ?? "—"}</td>
          <td className="num tabular">
            {number(item.attempts)}
            {item.durationMs !== undefined && (
              <span className="person-detail"> {number(item.durationMs)} ms</span>
            )}
          </td>
          <td>{item.error ?? ""}</td>
          <td className="actions-cell">
            <button type="button" className="button button-small" onClick={() => void resend(item.eventId)}>
              {t("integrations.hooks.resend")}
            </button>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function WebhooksTab() {
  const { t } = useI18n();
  const hooks = useResource(loadHooks);
  const [adding, setAdding] = useState(false);
  const [url, setUrl] = useState("https://");
  const [chosen, setChosen] = useState<WebhookEvent[]>(["message.replied"]);
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const created = await unwrap(api.api.webhooks.$post({ json: { url, events: chosen } }));
      setSecret(created.secret);
      setAdding(false);
      void hooks.reload();
    } catch (error) {
      toast(errorText(t, error), "error");
    } finally {
      setBusy(false);
    }
  };
  const ping = async (endpointId: string) => {
    try {
      await unwrap(api.api.webhooks[":endpointId"].ping.$post({ param: { endpointId } }));
      toast(t("integrations.hooks.pinged"));
      setOpen(endpointId);
    } catch (error) {
      toast(errorText(t, error), "error");
    }
  };
  const items = hooks.data?.items ?? [];
  return (
    <section className="stack">
      <div>
        <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
          <Icon name="plus" />
          {t("integrations.hooks.add")}
        </button>
      </div>
      {hooks.error !== undefined && <p className="field-error">{errorText(t, hooks.error)}</p>}
      {hooks.data && items.length === 0 && <p className="text-muted">{t("integrations.hooks.empty")}</p>}
      {items.map((hook) => (
        <article key={hook.endpointId} className="card stack" data-testid="webhook-row">
          <div className="row-actions">
            <code>{hook.url}</code>
            <span className="person-detail">{hook.events.join(", ")}</span>
            {!hook.active && <span className="person-detail">{t("integrations.hooks.paused")}</span>}
            <button type="button" className="button button-small" onClick={() => void ping(hook.endpointId)}>
              <Icon name="send" />
              {t("integrations.hooks.ping")}
            </button>
            <button
              type="button"
              className="button button-small"
              onClick={() => setOpen(open === hook.endpointId ? null : hook.endpointId)}
            >
              {t("integrations.hooks.deliveries")}
            </button>
          </div>
          {open === hook.endpointId && <Deliveries endpointId={hook.endpointId} />}
        </article>
      ))}
      {adding && (
        <ConfirmDialog
          title={t("integrations.hooks.add")}
          onClose={() => setAdding(false)}
          size="medium"
          action={{
            label: t("integrations.hooks.addAction"),
            testId: "hook-create-submit",
            form: "hook-form",
            busy,
            disabled: chosen.length === 0,
          }}
        >
          <form id="hook-form" className="stack" onSubmit={(event) => void add(event)}>
            <label className="field-label" htmlFor="hook-url">
              {t("integrations.hooks.url")}
            </label>
            <input
              id="hook-url"
              className="input"
              type="url"
              value={url}
              onChange={(event) => setUrl(event.target.value)}
            />
            <fieldset>
              <legend className="field-label">{t("integrations.hooks.events")}</legend>
              {events.map((name) => (
                <label key={name} className="checkbox">
                  <input
                    type="checkbox"
                    checked={chosen.includes(name)}
                    onChange={(event) =>
                      setChosen(
                        event.target.checked ? [...chosen, name] : chosen.filter((other) => other !== name),
                      )
                    }
                  />
                  <code>{name}</code>
                </label>
              ))}
            </fieldset>
          </form>
        </ConfirmDialog>
      )}
      {secret && (
        <Modal
          title={t("integrations.hooks.secretTitle")}
          onClose={() => setSecret(null)}
          testId="hook-secret"
        >
          <Secret value={secret} testId="hook-secret-value" />
        </Modal>
      )}
    </section>
  );
}

/** « Intégrations » (Admin): API keys and outgoing webhooks. */
export function IntegrationsPage() {
  usePageTitle("integrations.title");
  const { t } = useI18n();
  const [tab, setTab] = useState<"keys" | "hooks">("keys");
  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t("integrations.title")}</h1>
          <p className="page-subtitle">{t("integrations.subtitle")}</p>
        </div>
      </header>
      <div className="tabs" role="tablist" aria-label={t("integrations.title")}>
        <button
          type="button"
          role="tab"
          aria-selected={tab === "keys"}
          className="tab"
          data-testid="tab-keys"
          onClick={() => setTab("keys")}
        >
          {t("integrations.tab.keys")}
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === "hooks"}
          className="tab"
          data-testid="tab-hooks"
          onClick={() => setTab("hooks")}
        >
          {t("integrations.tab.hooks")}
        </button>
      </div>
      {tab === "keys" ? <KeysTab /> : <WebhooksTab />}
    </div>
  );
}
