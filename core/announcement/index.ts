export * as Announcement from "./announcement";
