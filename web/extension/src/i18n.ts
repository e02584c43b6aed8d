import en from "./messages.en.json";
import fr from "./messages.fr.json";

export type MessageKey = keyof typeof fr;
let messages: Record<MessageKey, string> = fr;
let language: "fr" | "en" = "fr";

/** The console's language once signed in, else the browser's (French unless it asks for English). */
export function setLanguage(chosen?: "fr" | "en") {
  language = chosen ?? (navigator.language.toLowerCase().startsWith("en") ? "en" : "fr");
  messages = language === "en" ? en : fr;
  document.documentElement.lang = language;
}

export const currentLanguage = () => language;

export function t(key: MessageKey, values: Record<string, string | number> = {}) {
  return messages[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ""));
}
