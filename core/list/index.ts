export * as List from "./list";
