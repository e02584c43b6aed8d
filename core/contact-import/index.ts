export * as ContactImport from "./contact-import";
