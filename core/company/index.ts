export * as Company from "./company";
