import { ApiError, call, consoleUrl, signIn, signOut, stored, type Tokens } from "./api";
import { currentLanguage, type MessageKey, setLanguage, t } from "./i18n";
import { type PlainNode, scanNodeOf } from "./page-tree";
import { type Candidate, formatMobile, scanNode, scanText } from "./scan";

/**
 * The side panel: sign-in, the candidates of the page (known contacts recognised), and the composer's
 * rules through the console's own routes (preview for units, cost and opt-outs; Send disabled until the
 * message is complete), then the replies that make the toolbar badge.
 */
type Row = Candidate & { entry: string; checked: boolean; contactId?: string; knownName?: string };
type Template = { templateId: string; name: string; kind: "yesno" | "info"; smsBody: string };
type Agency = { agencyId: string; name: string; archived?: boolean };
type Preview = {
  totals: { recipients: number; excluded: number; smsUnits: number; costMillicents: number };
  variables: { needed: string[]; fromLists: string[]; missing: string[] };
};
type Reply = { replyId: string; campaignTitle: string; who: string; excerpt: string; url: string };

const app = document.getElementById("app") as HTMLElement;
const params = new URLSearchParams(location.search);

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string | boolean>> = {},
  ...children: (Node | string | undefined)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === false || value === undefined) continue;
    if (name === "text") element.textContent = String(value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child !== undefined) element.append(child);
  return element;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function tabToScan(): Promise<number | undefined> {
  const fromUrl = Number(params.get("tab"));
  if (fromUrl) return fromUrl;
  const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
  return tab?.id;
}

async function start() {
  const tokens = await stored();
  setLanguage(tokens?.user.language);
  if (tokens) await main(tokens);
  else signInForm();
}

function signInForm(notice?: MessageKey) {
  app.replaceChildren();
  const field = (name: string, label: MessageKey, type: string) =>
    h(
      "label",
      {},
      t(label),
      h("input", { name, type, required: true, "data-testid": `ext-${name}`, autocomplete: "off" }),
    );
  const error = h(
    "p",
    { class: "error", role: "alert", "data-testid": "ext-signin-error" },
    notice ? t(notice) : "",
  );
  const form = h(
    "form",
    {},
    h("h2", { text: t("signIn.heading") }),
    field("companyCode", "signIn.companyCode", "text"),
    field("email", "signIn.email", "email"),
    field("password", "signIn.password", "password"),
    error,
    h("button", { type: "submit", "data-testid": "ext-signin" }, t("signIn.submit")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      const tokens = await signIn({
        companyCode: String(data.get("companyCode") ?? ""),
        email: String(data.get("email") ?? ""),
        password: String(data.get("password") ?? ""),
      });
      setLanguage(tokens.user.language);
      await chrome.storage.local.set({ "relais.repliesSeenAt": new Date().toISOString() });
      await main(tokens);
    } catch (caught) {
      const code = caught instanceof ApiError ? caught.code : "";
      error.textContent =
        code === "auth.rate_limited"
          ? t("signIn.rateLimited")
          : code === "auth.deactivated"
            ? t("signIn.deactivated")
            : code === "auth.invalid_credentials"
              ? t("signIn.failed")
              : t("error", { message: message(caught) });
    }
  });
  app.append(h("h1", { text: t("title") }), h("section", {}, form));
}

/** Any call that finds the sign-in ended brings the form back. */
async function guarded<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      signInForm("signIn.expired");
      return undefined;
    }
    throw error;
  }
}

async function main(tokens: Tokens) {
  app.replaceChildren();
  const out = h("button", { type: "button", class: "secondary", "data-testid": "ext-signout" }, t("signOut"));
  out.addEventListener("click", async () => {
    await signOut();
    await chrome.action.setBadgeText({ text: "" });
    signInForm();
  });
  app.append(h("h1", {}, `${tokens.user.firstName} ${tokens.user.lastName}`, out));
  const replies = h("section", { "data-testid": "ext-replies" });
  const found = h("section", { "data-testid": "ext-found" });
  const composer = h("section", { "data-testid": "ext-composer" });
  app.append(found, composer, replies);
  const rows: Row[] = [];
  const draft = await composerSection(composer, rows);
  await candidatesSection(found, rows, draft.changed);
  await repliesSection(replies);
}

async function candidatesSection(section: HTMLElement, rows: Row[], changed: () => void) {
  const list = h("ul");
  const origin = h("p", { class: "muted" });
  const rescan = h(
    "button",
    { type: "button", class: "secondary", "data-testid": "ext-rescan" },
    t("found.rescan"),
  );
  section.replaceChildren(h("h2", { text: t("found.heading") }), origin, list, rescan);
  const scan = async () => {
    const tabId = await tabToScan();
    if (tabId === undefined) {
      origin.textContent = t("found.noTab");
      return;
    }
    const read = await chrome.tabs
      .sendMessage<{ selection?: string; page?: PlainNode }>(tabId, { type: "read-page" })
      .catch(() => undefined);
    if (!read) {
      origin.textContent = t("found.noTab");
      return;
    }
    origin.textContent = read.selection ? t("found.selection") : t("found.page");
    const candidates: Candidate[] = read.selection
      ? scanText(read.selection)
      : read.page
        ? scanNode(scanNodeOf(read.page))
        : [];
    rows.splice(
      0,
      rows.length,
      ...candidates.map((candidate) => ({
        ...candidate,
        entry: candidate.mobile ?? candidate.email ?? "",
        checked: true,
      })),
    );
    if (rows.length > 0) {
      const looked = await guarded(() =>
        call<{ accepted: { entry: string; contact?: { contactId: string; name: string } }[] }>(
          "POST",
          "/api/campaigns/recipients",
          { text: rows.map((row) => row.entry).join("\n") },
        ),
      );
      for (const accepted of looked?.accepted ?? []) {
        const row = rows.find((candidate) => candidate.entry === accepted.entry);
        if (row && accepted.contact) {
          row.contactId = accepted.contact.contactId;
          row.knownName = accepted.contact.name;
        }
      }
    }
    list.replaceChildren(
      ...(rows.length === 0 ? [h("li", { class: "muted", text: t("found.none") })] : []),
      ...rows.map((row) => {
        const box = h("input", {
          type: "checkbox",
          checked: row.checked,
          "data-testid": "ext-candidate-check",
        });
        box.addEventListener("change", () => {
          row.checked = box.checked;
          changed();
        });
        const label = [row.mobile && formatMobile(row.mobile), row.email].filter(Boolean).join(" · ");
        return h(
          "li",
          { "data-testid": "ext-candidate" },
          h(
            "label",
            {},
            box,
            h("span", {}, h("strong", { text: row.knownName ?? row.name ?? "" }), ` ${label}`),
            row.contactId ? h("span", { class: "known", text: t("found.known") }) : undefined,
          ),
        );
      }),
    );
    changed();
  };
  rescan.addEventListener("click", () => void scan());
  await scan();
}

async function composerSection(section: HTMLElement, rows: Row[]) {
  const [templates, agencies] = await Promise.all([
    guarded(() => call<{ items: Template[] }>("GET", "/api/templates?filter=all")),
    guarded(() => call<{ items: Agency[] }>("GET", "/api/agencies")),
  ]);
  const values: Record<string, string> = {};
  let kind: "yesno" | "info" = "yesno";
  const radio = (value: "yesno" | "info", label: MessageKey) => {
    const input = h("input", {
      type: "radio",
      name: "kind",
      value,
      checked: value === kind,
      "data-testid": `ext-kind-${value}`,
    });
    input.addEventListener("change", () => {
      kind = value;
      changed();
    });
    return h("label", {}, input, t(label));
  };
  const template = h(
    "select",
    { "data-testid": "ext-template" },
    h("option", { value: "", text: t("template.none") }),
    ...(templates?.items ?? []).map((item) => h("option", { value: item.templateId, text: item.name })),
  );
  const body = h("textarea", { "data-testid": "ext-body" });
  const variables = h("div");
  const agency = h(
    "select",
    { "data-testid": "ext-agency" },
    ...(agencies?.items ?? [])
      .filter((item) => !item.archived)
      .map((item) => h("option", { value: item.agencyId, text: item.name })),
  );
  const title = h("input", { type: "text", "data-testid": "ext-title", maxlength: "200" });
  const summary = h("p", { class: "muted", "data-testid": "ext-preview" });
  const send = h("button", { type: "button", disabled: true, "data-testid": "ext-send" }, t("send"));
  const result = h("p", { "data-testid": "ext-result", role: "status" });
  template.addEventListener("change", () => {
    const chosen = templates?.items.find((item) => item.templateId === template.value);
    if (chosen) {
      body.value = chosen.smsBody;
      kind = chosen.kind;
      for (const input of section.querySelectorAll<HTMLInputElement>("input[name=kind]"))
        input.checked = input.value === kind;
    }
    changed();
  });
  for (const input of [body, title]) input.addEventListener("input", () => changed());
  agency.addEventListener("change", () => changed());
  section.replaceChildren(
    h("div", { class: "kinds" }, radio("yesno", "kind.yesno"), radio("info", "kind.info")),
    h("label", {}, t("template"), template),
    h("label", {}, t("message"), body),
    variables,
    h("label", {}, t("agency"), agency),
    h("label", {}, t("campaignTitle"), title),
    summary,
    send,
    result,
  );

  const draftOf = () => {
    const chosen = rows.filter((row) => row.checked);
    return {
      kind,
      smsBody: body.value,
      recipients: {
        entries: chosen.filter((row) => !row.contactId).map((row) => row.entry),
        contactIds: chosen.flatMap((row) => (row.contactId ? [row.contactId] : [])),
      },
      values,
    };
  };
  let previewed: { key: string; preview: Preview } | undefined;
  let sending = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const complete = () => {
    const draft = draftOf();
    const key = JSON.stringify(draft);
    const preview = previewed?.key === key ? previewed.preview : undefined;
    return Boolean(
      !sending &&
        preview &&
        body.value.trim() &&
        title.value.trim() &&
        agency.value &&
        preview.variables.missing.length === 0 &&
        preview.totals.recipients - preview.totals.excluded > 0,
    );
  };
  const showVariables = (needed: string[]) => {
    const shown = [...variables.querySelectorAll<HTMLInputElement>("input")].map((input) => input.name);
    if (shown.join() === needed.join()) return;
    variables.replaceChildren(
      ...needed.map((name) => {
        const input = h("input", { type: "text", name, "data-testid": `ext-variable-${name}` });
        input.value = values[name] ?? "";
        input.addEventListener("input", () => {
          values[name] = input.value;
          changed();
        });
        return h("label", {}, t("variable", { name }), input);
      }),
    );
  };
  const runPreview = async () => {
    const draft = draftOf();
    const key = JSON.stringify(draft);
    const count = draft.recipients.entries.length + draft.recipients.contactIds.length;
    if (!body.value.trim() || count === 0) {
      summary.textContent = "";
      send.disabled = true;
      return;
    }
    const preview = await guarded(() => call<Preview>("POST", "/api/campaigns/preview", draft)).catch(
      (error: unknown) => {
        summary.textContent = t("error", { message: message(error) });
        return undefined;
      },
    );
    if (!preview || key !== JSON.stringify(draftOf())) return;
    previewed = { key, preview };
    showVariables(preview.variables.needed.filter((name) => !preview.variables.fromLists.includes(name)));
    const cost = (preview.totals.costMillicents / 100_000).toLocaleString(currentLanguage(), {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    summary.textContent = [
      t("preview.recipients", { count: preview.totals.recipients - preview.totals.excluded }),
      t("preview.units", { units: preview.totals.smsUnits }),
      t("preview.cost", { cost }),
      preview.totals.excluded ? t("preview.excluded", { count: preview.totals.excluded }) : "",
    ]
      .filter(Boolean)
      .join(" · ");
    send.disabled = !complete();
  };
  function changed() {
    send.disabled = !complete();
    result.textContent = "";
    clearTimeout(timer);
    timer = setTimeout(() => void runPreview(), 300);
  }
  send.addEventListener("click", async () => {
    if (!complete()) return;
    sending = true;
    send.disabled = true;
    send.textContent = t("sending");
    try {
      const created = await guarded(() =>
        call<{ campaign: { campaignId: string } }>("POST", "/api/campaigns", {
          ...draftOf(),
          title: title.value.trim(),
          agencyId: agency.value,
        }),
      );
      if (created) {
        const url = new URL(`/campaigns/${created.campaign.campaignId}`, consoleUrl).href;
        const link = h("a", {
          href: url,
          target: "_blank",
          "data-testid": "ext-campaign-link",
          text: t("sent.open"),
        });
        result.replaceChildren(`${t("sent")} · `, link);
      }
    } catch (error) {
      result.textContent = t("error", { message: message(error) });
    } finally {
      sending = false;
      send.textContent = t("send");
      send.disabled = !complete();
    }
  });
  return { changed };
}

/** The badge: replies since they were last marked read, polled while the panel is open. */
async function repliesSection(section: HTMLElement) {
  const seenKey = "relais.repliesSeenAt";
  const list = h("ul");
  const mark = h(
    "button",
    { type: "button", class: "secondary", "data-testid": "ext-replies-seen" },
    t("replies.seen"),
  );
  section.replaceChildren(h("h2", { text: t("replies.heading") }), list, mark);
  let latest = "";
  const poll = async () => {
    const since = String((await chrome.storage.local.get(seenKey))[seenKey] ?? "");
    const answer = await guarded(() =>
      call<{ count: number; items: Reply[]; now: string }>(
        "GET",
        `/api/extension/replies${since ? `?since=${encodeURIComponent(since)}` : ""}`,
      ),
    ).catch(() => undefined);
    if (!answer) return;
    latest = answer.now;
    await chrome.action.setBadgeBackgroundColor({ color: "#1d4ed8" });
    await chrome.action.setBadgeText({ text: answer.count ? String(answer.count) : "" });
    list.replaceChildren(
      ...(answer.items.length === 0 ? [h("li", { class: "muted", text: t("replies.none") })] : []),
      ...answer.items.map((reply) => {
        const open = h(
          "button",
          { type: "button", class: "reply" },
          `${reply.who} — ${reply.campaignTitle}: ${reply.excerpt}`,
        );
        open.addEventListener("click", () => void chrome.tabs.create({ url: reply.url }));
        return h("li", {}, open);
      }),
    );
  };
  mark.addEventListener("click", async () => {
    if (latest) await chrome.storage.local.set({ [seenKey]: latest });
    await poll();
  });
  await poll();
  setInterval(() => void poll(), 60_000);
}

void start();
