export * as DeadLetter from "./dead-letter";
