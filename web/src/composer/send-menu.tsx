import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { Icon } from "../icons";
import { type MenuAction, RowMenu } from "../lists/row-menu";
import type { TemplateKind } from "../templates/client";

const kinds = ["yesno", "info"] as const satisfies readonly TemplateKind[];

/** « Question Oui/Non » and « Message d'info », each opening the composer of that kind. */
export function sendActions(
  label: (kind: TemplateKind) => string,
  testId: string,
  onPick: (kind: TemplateKind) => void,
): MenuAction[] {
  return kinds.map((kind) => ({
    label: label(kind),
    icon: kind === "yesno" ? "yesNo" : "announce",
    testId: `${testId}-${kind}`,
    onSelect: () => onPick(kind),
  }));
}

/** « Envoyer à … » as a button that asks which kind of message, then opens the composer. */
export function SendMenu({
  label,
  testId,
  triggerClassName,
  onPick,
}: {
  label: MessageKey;
  testId: string;
  triggerClassName: string;
  onPick: (kind: TemplateKind) => void;
}) {
  const { t } = useI18n();
  return (
    <RowMenu
      label={t(label)}
      testId={testId}
      triggerClassName={triggerClassName}
      trigger={
        <>
          <Icon name="send" />
          {t(label)}
          <Icon name="chevronDown" size={14} />
        </>
      }
      actions={sendActions((kind) => t(`composer.sendAs.${kind}`), testId, onPick)}
    />
  );
}
