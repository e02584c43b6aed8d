export * as Health from "./health";
