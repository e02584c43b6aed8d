export * as Notify from "./notify";
