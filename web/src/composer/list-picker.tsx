import { useState } from "react";
import { errorText } from "../accounts/errors";
import { Modal } from "../components/modal";
import { Notice } from "../components/notice";
import { useDebounced } from "../components/use-debounced";
import { useResource } from "../components/use-resource";
import { useI18n } from "../i18n/i18n";
import { Icon } from "../icons";
import { lists as listsApi } from "../lists/client";
import type { PickedList } from "./recipients";

export function ListPicker({
  picked,
  onToggle,
  onClose,
}: {
  picked: PickedList[];
  onToggle: (list: PickedList, on: boolean) => void;
  onClose: () => void;
}) {
  const { t, number } = useI18n();
  const [search, setSearch] = useState("");
  const debounced = useDebounced(search.trim(), 250);
  const found = useResource(() => listsApi.list({ query: debounced || undefined }), debounced);
  const chosen = new Set(picked.map((list) => list.listId));
  return (
    <Modal
      title={t("composer.lists.title")}
      onClose={onClose}
      testId="list-picker"
      footer={
        <button
          type="button"
          className="button button-primary"
          onClick={onClose}
          data-testid="list-picker-done"
        >
          {t("composer.picker.done", { count: picked.length })}
        </button>
      }
    >
      <label className="search picker-search">
        <Icon name="search" />
        <span className="visually-hidden">{t("composer.lists.search")}</span>
        <input
          type="search"
          value={search}
          placeholder={t("composer.lists.search")}
          onChange={(event) => setSearch(event.target.value)}
          data-testid="list-picker-search"
        />
      </label>
      {found.error !== undefined && (
        <Notice tone="error">
          <p>{errorText(t, found.error)}</p>
        </Notice>
      )}
      <ul className="picker-list" aria-busy={found.loading}>
        {found.data?.items.length === 0 && <li className="text-subtle">{t("composer.lists.none")}</li>}
        {found.data?.items.map((list) => (
          <li key={list.listId}>
            <label className="checkbox picker-row" data-testid="list-picker-row">
              <input
                type="checkbox"
                checked={chosen.has(list.listId)}
                onChange={(event) =>
                  onToggle(
                    {
                      listId: list.listId,
                      name: list.name,
                      members: list.memberCount,
                      fields: list.fields.map((field) => field.name),
                    },
                    event.target.checked,
                  )
                }
              />
              <span className="picker-text">
                <span className="person-name">{list.name}</span>
                <span className="text-subtle">
                  {t("composer.to.members", { count: number(list.memberCount) })}
                  {list.fields.length > 0 && ` · ${list.fields.map((field) => `%${field.name}%`).join(" ")}`}
                </span>
              </span>
            </label>
          </li>
        ))}
      </ul>
    </Modal>
  );
}
