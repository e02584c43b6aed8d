// The EventBridge Scheduler wire protocol (restJson1): methods, paths and query names come from the
// operation schemas in @aws-sdk/client-scheduler (dist-es/schemas/schemas_0.js).
import { type Context, Hono } from "hono";
import { ulid } from "ulid";
import { errorResponse, invalid, isSchedulerErrorName, SchedulerError } from "./aws-error";
import type { ApiOperation, Faults } from "./faults";
import type { OperationContext } from "./operation-context";
import * as Groups from "./schedule-groups";
import * as Schedules from "./schedules";

export function schedulerApi(ctx: OperationContext, faults: Faults): Hono {
  const app = new Hono();
  const operation =
    (name: ApiOperation, handler: (c: Context) => Promise<object> | object) => async (c: Context) => {
      const requestId = ulid();
      try {
        const fault = faults.take(name);
        if (fault && isSchedulerErrorName(fault.error)) {
          throw new SchedulerError(fault.error, fault.message ?? `Injected ${fault.error} on ${name}`);
        }
        return c.json(await handler(c), 200, { "x-amzn-requestid": requestId });
      } catch (error) {
        if (error instanceof SchedulerError) return errorResponse(error, requestId);
        console.error(`[scheduler] ${name} failed (request ${requestId})`, error);
        return errorResponse(
          new SchedulerError("InternalServerException", `Internal error, request id ${requestId}`),
          requestId,
        );
      }
    };
  const query = (c: Context, key: string) => c.req.query(key) || undefined;
  const param = (c: Context, key: string) => c.req.param(key) ?? "";

  app.get(
    "/schedule-groups",
    operation("ListScheduleGroups", (c) =>
      Groups.listScheduleGroups(ctx, {
        NamePrefix: query(c, "NamePrefix"),
        NextToken: query(c, "NextToken"),
        MaxResults: query(c, "MaxResults"),
      }),
    ),
  );
  app.post(
    "/schedule-groups/:name",
    operation("CreateScheduleGroup", async (c) =>
      Groups.createScheduleGroup(ctx, param(c, "name"), await jsonBody(c)),
    ),
  );
  app.get(
    "/schedule-groups/:name",
    operation("GetScheduleGroup", (c) => Groups.getScheduleGroup(ctx, param(c, "name"))),
  );
  app.delete(
    "/schedule-groups/:name",
    operation("DeleteScheduleGroup", (c) =>
      Groups.deleteScheduleGroup(ctx, param(c, "name"), query(c, "clientToken")),
    ),
  );

  app.get(
    "/schedules",
    operation("ListSchedules", (c) =>
      Schedules.listSchedules(ctx, {
        ScheduleGroup: query(c, "ScheduleGroup"),
        NamePrefix: query(c, "NamePrefix"),
        State: query(c, "State"),
        NextToken: query(c, "NextToken"),
        MaxResults: query(c, "MaxResults"),
      }),
    ),
  );
  app.post(
    "/schedules/:name",
    operation("CreateSchedule", async (c) =>
      Schedules.createSchedule(ctx, param(c, "name"), await jsonBody(c)),
    ),
  );
  app.put(
    "/schedules/:name",
    operation("UpdateSchedule", async (c) =>
      Schedules.updateSchedule(ctx, param(c, "name"), await jsonBody(c)),
    ),
  );
  app.get(
    "/schedules/:name",
    operation("GetSchedule", (c) => Schedules.getSchedule(ctx, param(c, "name"), query(c, "groupName"))),
  );
  app.delete(
    "/schedules/:name",
    operation("DeleteSchedule", (c) =>
      Schedules.deleteSchedule(ctx, param(c, "name"), query(c, "groupName"), query(c, "clientToken")),
    ),
  );

  app.get(
    "/tags/:arn{.+}",
    operation("ListTagsForResource", (c) => Groups.listTagsForResource(ctx, param(c, "arn"))),
  );
  app.post(
    "/tags/:arn{.+}",
    operation("TagResource", async (c) => Groups.tagResource(ctx, param(c, "arn"), await jsonBody(c))),
  );
  app.delete(
    "/tags/:arn{.+}",
    operation("UntagResource", (c) =>
      Groups.untagResource(ctx, param(c, "arn"), c.req.queries("TagKeys") ?? []),
    ),
  );
  return app;
}

async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw invalid("The request body is not valid JSON.");
  }
}
