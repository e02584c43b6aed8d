import type { SSTConfig } from "sst";
import { Api } from "./stacks/Api";
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
    app.stack(Storage).stack(Messaging).stack(Events).stack(Scheduler).stack(Api).stack(Web);
  },
} satisfies SSTConfig;
