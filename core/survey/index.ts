export * as Survey from "./survey";
