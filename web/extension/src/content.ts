import { plainOf } from "./page-tree";

/**
 * On every page: the « Relais » button bottom-right, in a shadow root so the page's CSS cannot reach
 * it, and the page's text the side panel asks for (the selection if there is one, else the whole page).
 */
const host = document.createElement("relais-extension-button");
const shadow = host.attachShadow({ mode: "open" });
const style = document.createElement("style");
style.textContent = `
  :host { all: initial; }
  button { position: fixed; right: 16px; bottom: 16px; z-index: 2147483647; font: 600 14px/1 system-ui, sans-serif;
    color: #fff; background: #1d4ed8; border: 0; border-radius: 999px; padding: 10px 16px; cursor: pointer;
    box-shadow: 0 2px 8px rgba(0,0,0,.25); }
  button:focus-visible { outline: 3px solid #93c5fd; outline-offset: 2px; }
`;
const button = document.createElement("button");
button.type = "button";
button.textContent = "Relais";
button.setAttribute("data-testid", "relais-button");
button.addEventListener("click", () => {
  void chrome.runtime.sendMessage({ type: "open-panel" });
});
shadow.append(style, button);
document.documentElement.append(host);

chrome.runtime.onMessage.addListener((message, _sender, reply) => {
  if ((message as { type?: string }).type !== "read-page") return undefined;
  const selection = window.getSelection()?.toString().trim() ?? "";
  reply(selection ? { selection } : { page: plainOf(document.body) });
  return undefined;
});
