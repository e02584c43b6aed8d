export * as Agency from "./agency";
