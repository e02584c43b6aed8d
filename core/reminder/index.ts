export * as Reminder from "./reminder";
