export * as Suppression from "./suppression";
