export * as Announcement from "./announcement";
export * as AnnouncementImage from "./image";
