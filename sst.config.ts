import type { SSTConfig } from "sst";
import { Api } from "./stacks/Api";
import { apiRouteStacks } from "./stacks/ApiRoutes";
import { Events } from "./stacks/Events";
import { defaultFunctionProps } from "./stacks/function";
import { Messaging } from "./stacks/Messaging";
import { Scheduler } from "./stacks/Scheduler";
import { Storage } from "./stacks/Storage";
import { Web } from "./stacks/Web";

export default {
  config() {
    return { name: "relais", region: "eu-west-3" };
  },
  stacks(app) {
    // Ephemeral stages leave nothing behind; prod keeps its data (Storage sets RETAIN explicitly too).
    if (app.stage !== "prod") app.setDefaultRemovalPolicy("destroy");
    app.setDefaultFunctionProps(defaultFunctionProps);
    app.stack(Storage).stack(Messaging).stack(Events).stack(Scheduler).stack(Api);
    // The API's routes, read from the Hono app and spread over a fixed number of stacks (500 resources each).
    for (const { id, stack } of apiRouteStacks()) app.stack(stack, { id });
    app.stack(Web);
  },
} satisfies SSTConfig;
