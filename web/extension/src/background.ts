/**
 * The service worker: opens the side panel for the tab whose « Relais » button was clicked (a user
 * gesture, as sidePanel.open requires), on the panel page that knows which tab to scan.
 */
chrome.runtime.onMessage.addListener((message, sender) => {
  const tabId = sender.tab?.id;
  if ((message as { type?: string }).type !== "open-panel" || tabId === undefined) return undefined;
  // Open first: the user gesture does not outlive an await.
  void chrome.sidePanel.open({ tabId });
  void chrome.sidePanel.setOptions({ tabId, path: `panel.html?tab=${tabId}`, enabled: true });
  void chrome.storage.session.set({ "relais.panelTab": tabId });
  return undefined;
});

// The toolbar icon opens the panel too (on the active tab, which the panel then scans).
void chrome.sidePanel.setPanelBehavior({ openPanelOnActionClick: true });
