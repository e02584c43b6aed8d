/**
 * The few extension APIs the extension calls, typed by hand (no @types/chrome in the project). Each
 * matches Chrome's documented signature for Manifest V3 (promises).
 */
declare namespace chrome {
  namespace runtime {
    type MessageSender = { tab?: { id?: number } };
    const id: string;
    function sendMessage<T = unknown>(message: unknown): Promise<T>;
    const onMessage: {
      addListener(
        listener: (
          message: unknown,
          sender: MessageSender,
          reply: (answer: unknown) => void,
        ) => boolean | undefined,
      ): void;
    };
  }
  namespace tabs {
    type Tab = { id?: number; active?: boolean };
    function sendMessage<T = unknown>(tabId: number, message: unknown): Promise<T>;
    function query(filter: { active?: boolean; lastFocusedWindow?: boolean }): Promise<Tab[]>;
    function create(properties: { url: string }): Promise<Tab>;
    function getCurrent(): Promise<Tab | undefined>;
  }
  namespace storage {
    type Area = {
      get(keys: string | string[]): Promise<Record<string, unknown>>;
      set(items: Record<string, unknown>): Promise<void>;
      remove(keys: string | string[]): Promise<void>;
    };
    const session: Area;
    const local: Area;
  }
  namespace sidePanel {
    function open(options: { tabId: number }): Promise<void>;
    function setOptions(options: { tabId?: number; path?: string; enabled?: boolean }): Promise<void>;
    function setPanelBehavior(behavior: { openPanelOnActionClick: boolean }): Promise<void>;
  }
  namespace action {
    function setBadgeText(details: { text: string }): Promise<void>;
    function setBadgeBackgroundColor(details: { color: string }): Promise<void>;
  }
}
