// The employees' space as an installed app: shows Web Push notifications and opens the space on a tap.
// No caching: every page still comes from the network.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  event.waitUntil(
    self.registration.showNotification(data.title || "Mon espace", {
      body: data.body || "",
      icon: "/favicon.svg",
      // One notification per announcement: a push sent again (a retried job) replaces it, silently.
      ...(typeof data.tag === "string" ? { tag: data.tag, renotify: false } : {}),
      data: { url: typeof data.url === "string" && data.url.startsWith("/") ? data.url : "/espace" },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data?.url || "/espace"));
});
