import { Logger } from "@aws-lambda-powertools/logger";

/** One structured logger for every handler; POWERTOOLS_LOG_LEVEL tunes it per environment. */
export const logger = new Logger({ serviceName: "relais" });
