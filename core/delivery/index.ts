export * as Delivery from "./delivery";
