export * as Announcement from "./announcement";
export * as AnnouncementAttachment from "./attachment";
export * as AnnouncementImage from "./image";
