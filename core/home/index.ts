export * as Home from "./home";
