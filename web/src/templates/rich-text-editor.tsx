import { type Ref, useEffect, useImperativeHandle, useRef } from "react";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";

export type RichTextHandle = { insert: (text: string) => void; focus: () => void };

type Command = { command: string; label: MessageKey; glyph: string; className?: string };

const commands: Command[] = [
  { command: "bold", label: "templates.rich.bold", glyph: "B", className: "rt-bold" },
  { command: "italic", label: "templates.rich.italic", glyph: "I", className: "rt-italic" },
  { command: "underline", label: "templates.rich.underline", glyph: "U", className: "rt-underline" },
  { command: "insertUnorderedList", label: "templates.rich.bullets", glyph: "•≡" },
  { command: "insertOrderedList", label: "templates.rich.numbers", glyph: "1≡" },
];

/**
 * The email body: a contenteditable area with bold, italic, underline, lists and links, giving HTML
 * (the server sanitises it). Pasted content arrives as plain text so Word's markup stays out.
 */
export function RichTextEditor({
  id,
  labelledBy,
  value,
  onChange,
  onFocus,
  disabled,
  ref,
  testId = "email-editor",
}: {
  id: string;
  labelledBy: string;
  value: string;
  onChange: (html: string) => void;
  onFocus?: () => void;
  disabled?: boolean;
  ref?: Ref<RichTextHandle>;
  testId?: string;
}) {
  const t = useT();
  const area = useRef<HTMLDivElement>(null);
  const emitted = useRef<string | null>(null);
  const saved = useRef<Range | null>(null);

  // a value from outside (a template picked, a reset) replaces the content; our own echoes do not
  useEffect(() => {
    const element = area.current;
    if (!element || value === emitted.current) return;
    element.innerHTML = value;
    emitted.current = value;
  }, [value]);

  const emit = () => {
    const element = area.current;
    if (!element) return;
    const html = element.innerHTML === "<br>" ? "" : element.innerHTML;
    emitted.current = html;
    onChange(html);
  };

  const remember = () => {
    const selection = document.getSelection();
    if (selection && selection.rangeCount > 0 && area.current?.contains(selection.anchorNode)) {
      saved.current = selection.getRangeAt(0).cloneRange();
    }
  };

  const restore = () => {
    const element = area.current;
    if (!element) return;
    element.focus();
    const selection = document.getSelection();
    if (!selection) return;
    if (saved.current && element.contains(saved.current.startContainer)) {
      selection.removeAllRanges();
      selection.addRange(saved.current);
    } else if (!element.contains(selection.anchorNode)) {
      const range = document.createRange();
      range.selectNodeContents(element);
      range.collapse(false);
      selection.removeAllRanges();
      selection.addRange(range);
    }
  };

  const run = (command: string, argument?: string) => {
    restore();
    document.execCommand(command, false, argument);
    remember();
    emit();
  };

  useImperativeHandle(ref, () => ({
    insert: (text: string) => run("insertText", text),
    focus: () => area.current?.focus(),
  }));

  return (
    <div className={disabled ? "rich-text is-disabled" : "rich-text"}>
      <div className="rich-toolbar" role="toolbar" aria-label={t("templates.rich.toolbar")}>
        {commands.map((item) => (
          <button
            key={item.command}
            type="button"
            className={`rich-button ${item.className ?? ""}`}
            title={t(item.label)}
            aria-label={t(item.label)}
            disabled={disabled}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => run(item.command)}
          >
            {item.glyph}
          </button>
        ))}
        <button
          type="button"
          className="rich-button"
          title={t("templates.rich.link")}
          aria-label={t("templates.rich.link")}
          disabled={disabled}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => {
            remember();
            const href = window.prompt(t("templates.rich.linkPrompt"), "https://");
            if (href && /^(https?:|mailto:|tel:)/i.test(href.trim())) run("createLink", href.trim());
          }}
        >
          <svg
            viewBox="0 0 24 24"
            width="15"
            height="15"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
            aria-hidden="true"
          >
            <path d="M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7" />
          </svg>
        </button>
        <button
          type="button"
          className="rich-button"
          title={t("templates.rich.clear")}
          aria-label={t("templates.rich.clear")}
          disabled={disabled}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => run("removeFormat")}
        >
          T̸
        </button>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a rich text field has no native element */}
      <div
        id={id}
        ref={area}
        className="rich-area"
        role="textbox"
        tabIndex={0}
        aria-multiline="true"
        aria-labelledby={labelledBy}
        contentEditable={!disabled}
        suppressContentEditableWarning
        onInput={emit}
        onKeyUp={remember}
        onMouseUp={remember}
        onBlur={remember}
        onFocus={onFocus}
        onPaste={(event) => {
          event.preventDefault();
          const text = event.clipboardData.getData("text/plain");
          document.execCommand("insertText", false, text);
          emit();
        }}
        data-testid={testId}
      />
    </div>
  );
}
