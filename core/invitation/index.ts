export * as Invitation from "./invitation";
