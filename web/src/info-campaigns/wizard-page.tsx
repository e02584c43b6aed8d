import "./info-campaigns.css";
import { type ChangeEvent, type FormEvent, useEffect, useId, useState } from "react";
import { limits, Step, stepNames } from "../../../core/info-campaign/info-campaign.types";
import { uploadToPresignedPost } from "../accounts/client";
import { ErrorNotice } from "../components/notice";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { usePageTitle } from "../page-title";
import { Link, matchPath, navigate, usePathname } from "../router";
import { partners, vault } from "../vault/client";
import { type InfoCampaign, infoCampaigns, type StepInput } from "./client";
import { infoCampaignErrorText } from "./info-campaign-text";

type Trigger = "document_type" | "recipient_type";
type DocumentDraft = { fileId: string; fileName: string; name: string; typeId: string; seal: boolean };

/** An ISO instant as the `YYYY-MM-DDTHH:mm` a datetime-local input holds, in the browser's time. */
function toLocalInput(iso: string): string {
  const date = new Date(iso);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
const toIso = (local: string) => (local ? new Date(local).toISOString() : "");

/** The first step a draft still needs, so « Reprendre » opens where the wizard was left. */
function resumeAt(campaign: InfoCampaign) {
  if (!campaign.trigger) return 1;
  if (campaign.categoryIds.length === 0) return 2;
  if (campaign.documents.length === 0) return 3;
  if (!campaign.messageFr) return 4;
  return 5;
}

/**
 * The six-step wizard (Paramètres, Déclencheur, Population cible, Document(s) à déposer, Contenu,
 * Récapitulatif). Each step is checked with the API's own schema, then saved on the draft before the next.
 */
export function InfoCampaignWizardPage() {
  usePageTitle("infoCampaigns.wizard.title");
  const { t, dateTime } = useI18n();
  const id = useId();
  const routeId = matchPath("/vault/info-campaigns/:campaignId", usePathname())?.campaignId;
  const campaignId = routeId && routeId !== "new" ? routeId : undefined;
  const types = useResource(() => vault.types());
  const categories = useResource(() => partners.categories());
  const [campaign, setCampaign] = useState<InfoCampaign | null>(null);
  const [step, setStep] = useState(0);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [title, setTitle] = useState("");
  const [startAt, setStartAt] = useState(() => toLocalInput(new Date().toISOString()));
  const [endAt, setEndAt] = useState("");
  const [trigger, setTrigger] = useState<Trigger>("document_type");
  const [triggerTypeId, setTriggerTypeId] = useState("bulletin-de-paie");
  const [categoryIds, setCategoryIds] = useState<string[]>([]);
  const [documents, setDocuments] = useState<DocumentDraft[]>([]);
  const [uploading, setUploading] = useState<string | null>(null);
  const [messageFr, setMessageFr] = useState("");
  const [messageEn, setMessageEn] = useState("");
  const [logo, setLogo] = useState(false);
  const [logoVersion, setLogoVersion] = useState(0);

  const fill = (loaded: InfoCampaign) => {
    setCampaign(loaded);
    setTitle(loaded.title);
    setStartAt(toLocalInput(loaded.startAt));
    setEndAt(loaded.endAt ? toLocalInput(loaded.endAt) : "");
    if (loaded.trigger) setTrigger(loaded.trigger);
    if (loaded.triggerTypeId) setTriggerTypeId(loaded.triggerTypeId);
    setCategoryIds(loaded.categoryIds);
    setDocuments(
      loaded.documents.map(({ fileId, fileName, name, typeId, seal }) => ({
        fileId,
        fileName,
        name,
        typeId,
        seal,
      })),
    );
    setMessageFr(loaded.messageFr ?? "");
    setMessageEn(loaded.messageEn ?? "");
    setLogo(loaded.hasLogo);
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: loaded once per campaign id (`fill`, `t` and the draft just created change nothing)
  useEffect(() => {
    if (!campaignId || campaign?.campaignId === campaignId) return;
    infoCampaigns
      .get(campaignId)
      .then(({ campaign: loaded }) => {
        fill(loaded);
        setStep(resumeAt(loaded));
      })
      .catch((error: unknown) => setFailure(infoCampaignErrorText(t, error)));
  }, [campaignId]);

  const input = (): StepInput => {
    switch (stepNames[step]) {
      case "settings":
        return {
          step: "settings",
          settings: { title, startAt: toIso(startAt), ...(endAt ? { endAt: toIso(endAt) } : {}) },
        };
      case "trigger":
        return { step: "trigger", trigger: { trigger } };
      case "population":
        return {
          step: "population",
          population: { ...(trigger === "document_type" ? { triggerTypeId } : {}), categoryIds },
        };
      case "documents":
        return {
          step: "documents",
          documents: {
            documents: documents.map(({ fileId, name, typeId, seal }) => ({ fileId, name, typeId, seal })),
          },
        };
      default:
        return {
          step: "content",
          content: { messageFr, ...(messageEn.trim() ? { messageEn } : {}), logo },
        };
    }
  };

  const next = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const json = input();
    // The API's own schema, before asking it.
    const checked = Step.safeParse(json);
    if (!checked.success) {
      setFailure(checked.error.issues[0]?.message ?? "");
      return;
    }
    setBusy(true);
    try {
      if (!campaign && json.step === "settings") {
        const created = await infoCampaigns.create(json.settings);
        setCampaign(created.campaign);
        navigate(`/vault/info-campaigns/${created.campaign.campaignId}`, { replace: true });
      } else if (campaign) {
        const saved = await infoCampaigns.save(campaign.campaignId, json);
        setCampaign(saved.campaign);
      }
      setStep((current) => current + 1);
    } catch (error) {
      setFailure(infoCampaignErrorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  const launch = async () => {
    if (!campaign) return;
    setBusy(true);
    setFailure(null);
    try {
      const launched = await infoCampaigns.launch(campaign.campaignId);
      toast(t("infoCampaigns.launched", { title: launched.campaign.title }));
      navigate("/vault/info-campaigns");
    } catch (error) {
      setFailure(infoCampaignErrorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  const addFiles = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    event.target.value = "";
    if (!campaign) return;
    setFailure(null);
    for (const file of files) {
      if (!/\.pdf$/i.test(file.name)) {
        setFailure(t("infoCampaigns.error.pdfOnly"));
        continue;
      }
      setUploading(file.name);
      try {
        const target = await infoCampaigns.file(campaign.campaignId, {
          fileName: file.name,
          size: file.size,
        });
        await uploadToPresignedPost(target, file, () => undefined);
        const fallbackType = types.data?.items.find((type) => type.typology === "informations")?.typeId;
        setDocuments((current) => [
          ...current,
          {
            fileId: target.fileId,
            fileName: target.fileName,
            name: target.fileName.replace(/\.pdf$/i, ""),
            typeId: fallbackType ?? types.data?.items[0]?.typeId ?? "",
            seal: false,
          },
        ]);
      } catch (error) {
        setFailure(infoCampaignErrorText(t, error));
      } finally {
        setUploading(null);
      }
    }
  };

  const addLogo = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file || !campaign) return;
    if (file.size > limits.logoBytes) {
      setFailure(t("infoCampaigns.error.logoTooBig"));
      return;
    }
    setFailure(null);
    setUploading(file.name);
    try {
      const target = await infoCampaigns.logo(campaign.campaignId, { fileName: file.name, size: file.size });
      await uploadToPresignedPost(target, file, () => undefined);
      setLogo(true);
      setLogoVersion((version) => version + 1);
    } catch (error) {
      setFailure(infoCampaignErrorText(t, error));
    } finally {
      setUploading(null);
    }
  };

  const updateDocument = (index: number, change: Partial<DocumentDraft>) =>
    setDocuments((current) => current.map((doc, at) => (at === index ? { ...doc, ...change } : doc)));
  const companySealed = (typeId: string) =>
    Boolean(types.data?.items.find((type) => type.typeId === typeId)?.companySeal);
  const typeName = (typeId?: string) =>
    types.data?.items.find((type) => type.typeId === typeId)?.name ?? typeId;
  const categoryName = (categoryId: string) =>
    categories.data?.items.find((category) => category.categoryId === categoryId)?.name ?? categoryId;
  const name = stepNames[step] ?? "summary";

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{campaign?.title || t("infoCampaigns.wizard.title")}</h1>
          <p className="page-subtitle">{t("infoCampaigns.wizard.stepOf", { step: step + 1 })}</p>
        </div>
        <Link href="/vault/info-campaigns" className="button">
          {t("infoCampaigns.title")}
        </Link>
      </header>
      <ol className="info-campaign-steps" data-testid="info-campaign-steps">
        {stepNames.map((stepName, index) => (
          <li
            key={stepName}
            aria-current={index === step ? "step" : undefined}
            className={index < step ? "is-done" : ""}
          >
            <span className="info-campaign-step-number">{index + 1}</span>
            {t(`infoCampaigns.step.${stepName}`)}
          </li>
        ))}
      </ol>
      <section className="card info-campaign-card">
        <h2 className="card-title">{t(`infoCampaigns.step.${name}`)}</h2>
        <form
          className="form"
          onSubmit={(event) => void next(event)}
          noValidate
          data-testid={`info-campaign-step-${name}`}
        >
          <ErrorNotice text={failure} testId="info-campaign-error" />
          {name === "settings" && (
            <>
              <div className="field">
                <label htmlFor={`${id}-title`}>{t("infoCampaigns.field.title")}</label>
                <input
                  id={`${id}-title`}
                  value={title}
                  maxLength={limits.title}
                  onChange={(event) => setTitle(event.target.value)}
                  data-testid="info-campaign-title"
                />
              </div>
              <div className="field-row">
                <div className="field">
                  <label htmlFor={`${id}-start`}>{t("infoCampaigns.field.startAt")}</label>
                  <input
                    id={`${id}-start`}
                    type="datetime-local"
                    value={startAt}
                    onChange={(event) => setStartAt(event.target.value)}
                    data-testid="info-campaign-start"
                  />
                </div>
                <div className="field">
                  <label htmlFor={`${id}-end`}>{t("infoCampaigns.field.endAt")}</label>
                  <input
                    id={`${id}-end`}
                    type="datetime-local"
                    value={endAt}
                    onChange={(event) => setEndAt(event.target.value)}
                    data-testid="info-campaign-end"
                  />
                </div>
              </div>
              <p className="field-hint">{t("infoCampaigns.field.endHint")}</p>
            </>
          )}
          {name === "trigger" && (
            <fieldset className="info-campaign-choices">
              <legend className="visually-hidden">{t("infoCampaigns.step.trigger")}</legend>
              {(["document_type", "recipient_type"] as const).map((option) => (
                <label key={option} className="info-campaign-choice">
                  <input
                    type="radio"
                    name={`${id}-trigger`}
                    checked={trigger === option}
                    onChange={() => setTrigger(option)}
                    data-testid={`info-campaign-trigger-${option}`}
                  />
                  <span>
                    <strong>{t(`infoCampaigns.trigger.${option}`)}</strong>
                    <span className="field-hint">{t(`infoCampaigns.trigger.${option}Hint`)}</span>
                  </span>
                </label>
              ))}
            </fieldset>
          )}
          {name === "population" && (
            <>
              {trigger === "document_type" && (
                <div className="field">
                  <label htmlFor={`${id}-type`}>{t("infoCampaigns.field.triggerType")}</label>
                  <select
                    id={`${id}-type`}
                    value={triggerTypeId}
                    onChange={(event) => setTriggerTypeId(event.target.value)}
                    data-testid="info-campaign-trigger-type"
                  >
                    {types.data?.items.map((type) => (
                      <option key={type.typeId} value={type.typeId}>
                        {type.name}
                      </option>
                    ))}
                  </select>
                </div>
              )}
              <fieldset className="info-campaign-categories" data-testid="info-campaign-categories">
                <legend>{t("infoCampaigns.field.categories")}</legend>
                {categories.data?.items.map((category) => (
                  <label key={category.categoryId} className="checkbox">
                    <input
                      type="checkbox"
                      checked={categoryIds.includes(category.categoryId)}
                      onChange={(event) =>
                        setCategoryIds((current) =>
                          event.target.checked
                            ? [...current, category.categoryId]
                            : current.filter((candidate) => candidate !== category.categoryId),
                        )
                      }
                    />
                    <span>{category.name}</span>
                  </label>
                ))}
              </fieldset>
            </>
          )}
          {name === "documents" && (
            <>
              <div className="field">
                <label htmlFor={`${id}-files`}>{t("infoCampaigns.field.files")}</label>
                <input
                  id={`${id}-files`}
                  type="file"
                  accept="application/pdf,.pdf"
                  multiple
                  disabled={uploading !== null || documents.length >= limits.documents}
                  onChange={(event) => void addFiles(event)}
                  data-testid="info-campaign-files"
                />
                {uploading && (
                  <p className="field-hint">{t("infoCampaigns.uploading", { name: uploading })}</p>
                )}
              </div>
              {documents.map((doc, index) => (
                <div key={doc.fileId} className="info-campaign-document" data-testid="info-campaign-document">
                  <span className="info-campaign-file">{doc.fileName}</span>
                  <div className="field-row">
                    <div className="field">
                      <label htmlFor={`${id}-name-${index}`}>{t("infoCampaigns.field.docName")}</label>
                      <input
                        id={`${id}-name-${index}`}
                        value={doc.name}
                        maxLength={120}
                        onChange={(event) => updateDocument(index, { name: event.target.value })}
                        data-testid="info-campaign-document-name"
                      />
                    </div>
                    <div className="field">
                      <label htmlFor={`${id}-doctype-${index}`}>{t("infoCampaigns.field.docType")}</label>
                      <select
                        id={`${id}-doctype-${index}`}
                        value={doc.typeId}
                        onChange={(event) => updateDocument(index, { typeId: event.target.value })}
                        data-testid="info-campaign-document-type"
                      >
                        {types.data?.items.map((type) => (
                          <option key={type.typeId} value={type.typeId}>
                            {type.mustSign ? t("infoCampaigns.typeToSign", { name: type.name }) : type.name}
                          </option>
                        ))}
                      </select>
                    </div>
                  </div>
                  <label className="checkbox">
                    <input
                      type="checkbox"
                      // A « signé par l'entreprise » type is sealed anyway (the API seals it at launch).
                      checked={doc.seal || companySealed(doc.typeId)}
                      disabled={companySealed(doc.typeId)}
                      onChange={(event) => updateDocument(index, { seal: event.target.checked })}
                      data-testid="info-campaign-document-seal"
                    />
                    <span>
                      <strong>{t("infoCampaigns.field.seal")}</strong> — {t("infoCampaigns.field.sealHint")}
                    </span>
                  </label>
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => setDocuments((current) => current.filter((_, at) => at !== index))}
                  >
                    {t("infoCampaigns.removeDocument")}
                  </button>
                </div>
              ))}
            </>
          )}
          {name === "content" && (
            <>
              <div className="field">
                <label htmlFor={`${id}-logo`}>{t("infoCampaigns.field.logo")}</label>
                <input
                  id={`${id}-logo`}
                  type="file"
                  accept="image/png,image/jpeg"
                  disabled={uploading !== null}
                  onChange={(event) => void addLogo(event)}
                  data-testid="info-campaign-logo"
                />
                {logo && campaign && (
                  <div className="info-campaign-logo-preview">
                    <img src={`${infoCampaigns.logoUrl(campaign.campaignId)}?v=${logoVersion}`} alt="" />
                    <button type="button" className="button button-small" onClick={() => setLogo(false)}>
                      {t("infoCampaigns.removeLogo")}
                    </button>
                  </div>
                )}
              </div>
              <div className="field">
                <label htmlFor={`${id}-fr`}>{t("infoCampaigns.field.messageFr")}</label>
                <textarea
                  id={`${id}-fr`}
                  rows={4}
                  value={messageFr}
                  maxLength={limits.message}
                  onChange={(event) => setMessageFr(event.target.value)}
                  data-testid="info-campaign-message-fr"
                />
              </div>
              <div className="field">
                <label htmlFor={`${id}-en`}>{t("infoCampaigns.field.messageEn")}</label>
                <textarea
                  id={`${id}-en`}
                  rows={3}
                  value={messageEn}
                  maxLength={limits.message}
                  onChange={(event) => setMessageEn(event.target.value)}
                  data-testid="info-campaign-message-en"
                />
              </div>
            </>
          )}
          {name === "summary" && campaign && (
            <dl className="info-campaign-summary" data-testid="info-campaign-summary">
              <dt>{t("infoCampaigns.summary.window")}</dt>
              <dd>
                {campaign.endAt
                  ? t("infoCampaigns.fromTo", {
                      start: dateTime(campaign.startAt),
                      end: dateTime(campaign.endAt),
                    })
                  : t("infoCampaigns.from", { start: dateTime(campaign.startAt) })}
              </dd>
              <dt>{t("infoCampaigns.summary.trigger")}</dt>
              <dd>
                {campaign.trigger && t(`infoCampaigns.trigger.${campaign.trigger}`)}
                {campaign.trigger === "document_type" && ` : ${typeName(campaign.triggerTypeId)}`}
              </dd>
              <dt>{t("infoCampaigns.summary.categories")}</dt>
              <dd>{campaign.categoryIds.map(categoryName).join(", ")}</dd>
              <dt>{t("infoCampaigns.summary.documents")}</dt>
              <dd>
                <ul>
                  {campaign.documents.map((doc) => (
                    <li key={doc.fileId}>
                      {doc.name} ({doc.typeName}){doc.seal && ` — ${t("infoCampaigns.summary.sealed")}`}
                    </li>
                  ))}
                </ul>
              </dd>
              <dt>{t("infoCampaigns.summary.message")}</dt>
              <dd className="info-campaign-message">{campaign.messageFr}</dd>
            </dl>
          )}
          <div className="form-actions">
            {step > 0 && (
              <button
                type="button"
                className="button"
                onClick={() => setStep((current) => current - 1)}
                disabled={busy}
              >
                {t("infoCampaigns.previous")}
              </button>
            )}
            {name === "summary" ? (
              <button
                type="button"
                className="button button-primary"
                onClick={() => void launch()}
                disabled={busy}
                data-testid="info-campaign-launch"
              >
                <Icon name="announce" />
                {t("infoCampaigns.launch")}
              </button>
            ) : (
              <button
                type="submit"
                className="button button-primary"
                disabled={busy || uploading !== null}
                data-testid="info-campaign-next"
              >
                {t("infoCampaigns.next")}
              </button>
            )}
          </div>
        </form>
      </section>
    </div>
  );
}
