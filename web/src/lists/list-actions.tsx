import type { Agency } from "../accounts/types";
import { download } from "../api";
import { toast } from "../components/toast";
import { sendActions } from "../composer/send-menu";
import { contactsErrorText } from "../contacts/contact-text";
import { useI18n } from "../i18n/i18n";
import { navigate } from "../router";
import { CleanListDialog } from "./clean-list-dialog";
import { type DistributionList, lists } from "./client";
import { DeleteListDialog } from "./delete-list-dialog";
import { DuplicateListDialog } from "./duplicate-list-dialog";
import { EditListDialog } from "./edit-list-dialog";
import type { MenuAction } from "./row-menu";
import { WriteToListDialog } from "./write-to-list-dialog";

export type ListDialog = {
  kind: "edit" | "duplicate" | "clean" | "delete" | "write";
  list: DistributionList;
};

/** The glossary's actions on a list, shared by the lists table and the list page. */
export function useListActions(open: (dialog: ListDialog) => void) {
  const { t } = useI18n();
  const exportList = async (list: DistributionList) => {
    try {
      await download(lists.exportPath(list.listId), `${list.name}.xlsx`);
    } catch (error) {
      toast(contactsErrorText(t, error), "error");
    }
  };
  return (list: DistributionList, options: { manage?: boolean; send?: boolean } = {}): MenuAction[] => [
    ...(options.send
      ? sendActions(
          (kind) => t(`lists.action.sendTo.${kind}`),
          "list-action-send",
          (kind) => navigate(`/compose/${kind}?list=${encodeURIComponent(list.listId)}`),
        )
      : []),
    ...(options.manage
      ? [
          {
            label: t("lists.action.manage"),
            icon: "lists" as const,
            onSelect: () => navigate(`/lists/${encodeURIComponent(list.listId)}`),
          },
        ]
      : []),
    {
      label: t("lists.action.edit"),
      icon: "edit",
      onSelect: () => open({ kind: "edit", list }),
      testId: "list-action-edit",
    },
    {
      label: t("lists.action.duplicate"),
      icon: "copy",
      onSelect: () => open({ kind: "duplicate", list }),
      testId: "list-action-duplicate",
    },
    {
      label: t("lists.action.clean"),
      icon: "refresh",
      onSelect: () => open({ kind: "clean", list }),
      testId: "list-action-clean",
    },
    {
      label: t("lists.action.export"),
      icon: "download",
      onSelect: () => void exportList(list),
      testId: "list-action-export",
    },
    {
      label: t("lists.action.delete"),
      icon: "archive",
      danger: true,
      onSelect: () => open({ kind: "delete", list }),
      testId: "list-action-delete",
    },
  ];
}

/** Whichever list dialog is open, wired to what the page does after it. */
export function ListDialogs({
  dialog,
  agencies,
  onClose,
  onChanged,
  onDeleted,
}: {
  dialog: ListDialog | null;
  agencies: Agency[];
  onClose: () => void;
  onChanged: (list: DistributionList) => void;
  onDeleted: (list: DistributionList) => void;
}) {
  const { t, number } = useI18n();
  if (!dialog) return null;
  const { list } = dialog;
  switch (dialog.kind) {
    case "edit":
      return (
        <EditListDialog
          list={list}
          agencies={agencies}
          onClose={onClose}
          onSaved={(saved) => {
            onClose();
            onChanged(saved);
            toast(t("lists.edit.saved", { name: saved.name }));
          }}
        />
      );
    case "duplicate":
      return (
        <DuplicateListDialog
          list={list}
          onClose={onClose}
          onDuplicated={(copy) => {
            onClose();
            toast(t("lists.duplicate.done", { name: copy.name }));
            navigate(`/lists/${encodeURIComponent(copy.listId)}`);
          }}
        />
      );
    case "clean":
      return (
        <CleanListDialog
          list={list}
          onClose={onClose}
          onCleaned={(cleaned, removed) => {
            onClose();
            onChanged(cleaned);
            toast(t("lists.clean.done", { count: number(removed) }));
          }}
        />
      );
    case "delete":
      return (
        <DeleteListDialog
          list={list}
          onClose={onClose}
          onDeleted={() => {
            onClose();
            onDeleted(list);
            toast(t("lists.delete.done", { name: list.name }));
          }}
        />
      );
    case "write":
      return <WriteToListDialog list={list} onClose={onClose} onAdded={onChanged} />;
  }
}
