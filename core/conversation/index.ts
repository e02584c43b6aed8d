export * as Conversation from "./conversation";
