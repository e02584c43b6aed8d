export * as Contact from "./contact";
