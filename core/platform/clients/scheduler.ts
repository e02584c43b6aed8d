import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { lazy, region } from "../lazy";

export const scheduler = lazy(() => new SchedulerClient({ region: region() }));
