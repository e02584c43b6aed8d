export * as Template from "./template";
