import { useT } from "../i18n/i18n";
import { invisibleNames, type Piece, pieces } from "./message-text";

const invisibleGlyph: Record<string, string> = {
  nbsp: "⍽",
  thin: "⍽",
  zeroWidth: "∅",
  softHyphen: "‐",
  bom: "∅",
};

function PieceView({ piece }: { piece: Piece }) {
  const t = useT();
  switch (piece.kind) {
    case "text":
      return <>{piece.text}</>;
    case "global":
      return (
        <span className="msg-var msg-var-global" title={t("templates.var.globalHint")} data-var={piece.name}>
          {piece.text}
        </span>
      );
    case "custom":
      return (
        <span className="msg-var msg-var-custom" title={t("templates.var.customHint")} data-var={piece.name}>
          {piece.text}
        </span>
      );
    case "unicode":
      return (
        <mark
          className="char-unicode"
          data-testid="char-unicode"
          title={
            piece.replacement === undefined
              ? t("templates.sms.unicodeNoReplacement")
              : t("templates.sms.unicodeReplacement", { replacement: piece.replacement || "∅" })
          }
        >
          {piece.text}
        </mark>
      );
    case "invisible": {
      const name = invisibleNames[piece.text] ?? "zeroWidth";
      return (
        <mark
          className="char-invisible"
          data-testid="char-invisible"
          title={t(`templates.invisible.${name}`)}
        >
          {invisibleGlyph[name]}
        </mark>
      );
    }
  }
}

/**
 * The body as it will be read: global variables in green, custom ones in blue, characters that force
 * UCS-2 marked in red and invisible ones made visible. Shown under the textarea, mirrored live.
 */
export function HighlightedBody({ body, testId, id }: { body: string; testId?: string; id?: string }) {
  const t = useT();
  const parts = pieces(body);
  return (
    <div className="body-highlight" data-testid={testId} id={id}>
      {parts.length === 0 ? (
        <span className="text-faint">{t("templates.sms.highlightEmpty")}</span>
      ) : (
        parts.map((piece, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: pieces have no identity beyond their place
          <PieceView key={index} piece={piece} />
        ))
      )}
    </div>
  );
}

/** The variables a body uses, as chips: globals in green, customs in blue. */
export function VariableLegend({ bodies }: { bodies: string[] }) {
  const t = useT();
  const seen = new Map<string, Piece>();
  for (const body of bodies) {
    for (const piece of pieces(body)) {
      if ((piece.kind === "global" || piece.kind === "custom") && !seen.has(`${piece.kind}:${piece.name}`)) {
        seen.set(`${piece.kind}:${piece.name}`, piece);
      }
    }
  }
  if (seen.size === 0) return null;
  return (
    <p className="var-legend" data-testid="variable-legend">
      <span className="text-subtle">{t("templates.var.used")}</span>
      {[...seen.values()].map((piece) =>
        piece.kind === "global" || piece.kind === "custom" ? (
          <span key={`${piece.kind}:${piece.name}`} className={`msg-var msg-var-${piece.kind}`}>
            {piece.kind === "global" ? `%${piece.name}` : `%${piece.name}%`}
          </span>
        ) : null,
      )}
    </p>
  );
}
