export * as UserImport from "./user-import";
