import { type FormEvent, useId, useState } from "react";
import { errorText } from "../accounts/errors";
import { DataTable } from "../components/data-table";
import { ErrorNotice, Notice } from "../components/notice";
import { toast } from "../components/toast";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { usePageTitle } from "../page-title";
import {
  type Announcement,
  announcements,
  graphemes,
  groups,
  inQuietWindow,
  settings,
  titleMax,
} from "./client";
import { GroupPicker, useWindowInput, WindowFields } from "./staff-form";

const types = ["message", "advantage", "deal", "document"] as const;
type Type = (typeof types)[number];

/** « Gestion des annonces »: one form for Message, Avantage, Bon plan, Document; the list with its counts. */
export function AnnouncementsPage() {
  usePageTitle("staff.announcements.title");
  const { t, number, dateTime } = useI18n();
  const list = useResource(() => announcements.list());
  const groupList = useResource(() => groups.list());
  const quiet = useResource(() => settings.get());
  const id = useId();
  const [type, setType] = useState<Type>("message");
  const [titleFr, setTitleFr] = useState("");
  const [titleEn, setTitleEn] = useState("");
  const [description, setDescription] = useState("");
  const [link, setLink] = useState("");
  const [groupIds, setGroupIds] = useState<string[]>(["tous"]);
  const dates = useWindowInput();
  const [image, setImage] = useState<File | null>(null);
  const [attachment, setAttachment] = useState<File | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const publishAt = dates.startsAt ? new Date(dates.startsAt) : new Date();
  const deferred = quiet.data ? inQuietWindow(publishAt, quiet.data) : false;

  const publish = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const created = await announcements.create({
        type,
        titleFr,
        titleEn,
        description: description || undefined,
        link: link || undefined,
        groupIds,
        ...dates.iso(),
      });
      if (image) await announcements.image(created.announcement.announcementId, image);
      if (attachment) await announcements.attach(created.announcement.announcementId, attachment);
      toast(t("staff.announcements.published"));
      setTitleFr("");
      setTitleEn("");
      setDescription("");
      setLink("");
      await list.reload();
    } catch (error) {
      setFailure(errorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  const counter = (value: string, testId: string) => {
    const used = graphemes(value);
    return (
      <span
        className={`field-hint${used > titleMax ? " text-bad" : ""}`}
        data-testid={testId}
        aria-live="polite"
      >
        {used}/{titleMax}
      </span>
    );
  };
  const tooLong = graphemes(titleFr) > titleMax || graphemes(titleEn) > titleMax;

  const remove = async (item: Announcement) => {
    await announcements.remove(item.announcementId);
    await list.reload();
  };

  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>{t("staff.announcements.title")}</h1>
          <p className="page-subtitle">{t("staff.announcements.subtitle")}</p>
        </div>
      </header>
      <form
        className="card card-padded form"
        onSubmit={(event) => void publish(event)}
        data-testid="announcement-form"
      >
        <fieldset className="field">
          <legend className="field-label">{t("staff.announcements.type")}</legend>
          <div className="inline-fields">
            {types.map((value) => (
              <label key={value} className="checkbox">
                <input
                  type="radio"
                  name={`${id}-type`}
                  checked={type === value}
                  onChange={() => setType(value)}
                />
                {t(`staff.type.${value}` as MessageKey)}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-fr`}>{t("staff.announcements.titleFr")}</label>
          <input
            id={`${id}-fr`}
            required
            value={titleFr}
            onChange={(event) => setTitleFr(event.target.value)}
            data-testid="announcement-title-fr"
          />
          {counter(titleFr, "announcement-count-fr")}
        </div>
        <div className="field">
          <label htmlFor={`${id}-en`}>{t("staff.announcements.titleEn")}</label>
          <input
            id={`${id}-en`}
            required
            value={titleEn}
            onChange={(event) => setTitleEn(event.target.value)}
            data-testid="announcement-title-en"
          />
          {counter(titleEn, "announcement-count-en")}
          <button
            type="button"
            className="button button-small"
            onClick={() => setTitleEn(titleFr)}
            data-testid="announcement-copy-title"
          >
            {t("staff.announcements.copyTitle")}
          </button>
        </div>
        <GroupPicker groups={groupList.data?.items ?? []} value={groupIds} onChange={setGroupIds} />
        <WindowFields id={id} dates={dates} startHint={t("staff.startsAtHint")} />
        <div className="field">
          <label htmlFor={`${id}-description`}>{t("staff.description")}</label>
          <textarea
            id={`${id}-description`}
            rows={4}
            maxLength={5000}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-image`}>{t("staff.announcements.image")}</label>
          <input
            id={`${id}-image`}
            type="file"
            accept="image/jpeg,image/png"
            onChange={(event) => setImage(event.target.files?.[0] ?? null)}
          />
          <p className="field-hint">{t("staff.announcements.imageHint")}</p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-attachment`}>{t("staff.announcements.attachment")}</label>
          <input
            id={`${id}-attachment`}
            type="file"
            accept=".pdf,.doc,.docx,.xls,.xlsx,.odt,.ods,.txt,.csv,image/*"
            onChange={(event) => setAttachment(event.target.files?.[0] ?? null)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-link`}>{t("staff.announcements.link")}</label>
          <input
            id={`${id}-link`}
            placeholder="www.site.fr"
            value={link}
            onChange={(event) => setLink(event.target.value)}
          />
        </div>
        {deferred && quiet.data && (
          <Notice tone="warning" testId="announcement-quiet">
            {t("staff.announcements.quiet", { start: quiet.data.quietStart, end: quiet.data.quietEnd })}
          </Notice>
        )}
        <ErrorNotice text={failure} />
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={busy || tooLong}
            data-testid="announcement-publish"
          >
            {t("staff.announcements.publish")}
          </button>
        </div>
      </form>
      <DataTable
        caption={t("staff.announcements.title")}
        testId="announcements"
        scroll
        busy={list.loading}
        error={list.error === undefined ? null : errorText(t, list.error)}
        columns={7}
        head={
          <>
            <th scope="col">{t("staff.announcements.titleFr")}</th>
            <th scope="col">{t("staff.announcements.type")}</th>
            <th scope="col">{t("staff.window")}</th>
            <th scope="col">{t("staff.announcements.targeted")}</th>
            <th scope="col">{t("staff.announcements.notified")}</th>
            <th scope="col">{t("staff.announcements.opened")}</th>
            <th scope="col" />
          </>
        }
        empty={list.data?.items.length === 0 ? t("staff.announcements.none") : !list.data && t("app.loading")}
      >
        {list.data?.items.map((item) => (
          <tr key={item.announcementId} data-testid="announcement-row">
            <td>{item.titleFr}</td>
            <td>{t(`staff.type.${item.type}` as MessageKey)}</td>
            <td>
              {dateTime(item.startsAt)} → {dateTime(item.endsAt)}
              <br />
              <span className="text-subtle">{t(`staff.status.${item.status}` as MessageKey)}</span>
            </td>
            <td>{item.targeted === undefined ? "—" : number(item.targeted)}</td>
            <td>
              {t("staff.announcements.byChannel", {
                sms: number(item.notified.sms),
                email: number(item.notified.email),
                push: number(item.notified.push),
              })}
              {item.notifyAt && !item.notified.sms && !item.notified.email && (
                <span className="text-subtle"> · {dateTime(item.notifyAt)}</span>
              )}
            </td>
            <td>{number(item.opened)}</td>
            <td>
              <button type="button" className="button button-small" onClick={() => void remove(item)}>
                {t("staff.delete")}
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
