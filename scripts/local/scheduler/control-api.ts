import { fromZonedTime } from "date-fns-tz";
// Developer controls under /_emulator (JSON) and the HTML page at /. Not part of the AWS API.
import { type Context, Hono } from "hono";
import * as z from "zod";
import type { EmulatorClock } from "./clock";
import { renderDashboard } from "./dashboard";
import { FaultRequest, type Faults } from "./faults";
import type { FiringEngine } from "./firing-engine";
import { allScheduleViews, historyView, scheduleView } from "./schedule-view";
import type { SchedulerState } from "./scheduler-state";

export interface ControlDeps {
  state: SchedulerState;
  clock: EmulatorClock;
  engine: FiringEngine;
  faults: Faults;
  changed(): void;
  /** Runs a tick at once, so a clock move or reset takes effect before the response. */
  tick(): void;
}

const ClockRequest = z.union([
  z.object({ advanceSeconds: z.number().finite() }),
  z.object({ now: z.iso.datetime({ offset: true }) }),
  z.object({ reset: z.literal(true) }),
]);

export function controlApi(deps: ControlDeps): Hono {
  const { state, clock, engine, faults } = deps;
  const app = new Hono();

  app.get("/", (c) =>
    c.html(
      renderDashboard({
        now: clock.now(),
        clockOffsetMs: clock.offset,
        groups: [...state.groups.values()].sort((a, b) => a.name.localeCompare(b.name)),
        schedules: allScheduleViews(state, engine),
        faults: faults.list(),
        history: state.history.map(historyView),
      }),
    ),
  );

  app.get("/_emulator/schedules", (c) =>
    c.json({
      now: new Date(clock.now()).toISOString(),
      groups: [...state.groups.values()].map((group) => ({ name: group.name, arn: group.arn })),
      schedules: allScheduleViews(state, engine),
    }),
  );

  app.get("/_emulator/schedules/:group/:name", (c) => {
    const schedule = state.getSchedule(c.req.param("group"), c.req.param("name"));
    if (!schedule) return problem(c, 404, "No such schedule");
    return c.json(scheduleView(schedule, state, engine));
  });

  app.post("/_emulator/schedules/:group/:name/fire", (c) => {
    const schedule = state.getSchedule(c.req.param("group"), c.req.param("name"));
    if (!schedule) return problem(c, 404, "No such schedule");
    const invocationId = engine.fireNow(schedule);
    // The HTML page posts a plain form; send the browser back to the page.
    if (c.req.query("redirect")) return c.redirect("/", 303);
    return c.json({ invocationId }, 202);
  });

  app.get("/_emulator/history", (c) => c.json({ history: state.history.map(historyView) }));

  app.get("/_emulator/invocations", (c) =>
    c.json({
      invocations: [...state.invocations.values()].map((invocation) => ({
        ...invocation,
        scheduledAt: new Date(invocation.scheduledAt).toISOString(),
        nextAttemptAt: new Date(invocation.nextAttemptAt).toISOString(),
      })),
    }),
  );

  app.get("/_emulator/faults", (c) => c.json({ faults: faults.list() }));
  app.post("/_emulator/faults", async (c) => {
    const parsed = FaultRequest.safeParse(await readJson(c));
    if (!parsed.success) return problem(c, 400, z.prettifyError(parsed.error));
    return c.json({ fault: faults.add(parsed.data), faults: faults.list() }, 201);
  });
  app.delete("/_emulator/faults", (c) => {
    faults.clear();
    return c.json({ faults: [] });
  });

  app.get("/_emulator/clock", (c) => c.json(clockView(clock)));
  // The status page's form: a Paris wall-clock time (datetime-local), then back to the page.
  app.post("/_emulator/clock/form", async (c) => {
    const form = await c.req.parseBody();
    const local = typeof form.paris === "string" ? form.paris : "";
    const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)
      ? fromZonedTime(`${local}:00`, "Europe/Paris")
      : undefined;
    if (form.reset) clock.reset();
    else if (at && !Number.isNaN(at.getTime())) clock.set(at.getTime());
    else return problem(c, 400, "Give a date and time (Paris)");
    deps.tick();
    return c.redirect("/", 303);
  });

  app.post("/_emulator/clock", async (c) => {
    const parsed = ClockRequest.safeParse(await readJson(c));
    if (!parsed.success) {
      return problem(c, 400, 'Send {"advanceSeconds": n}, {"now": "<ISO date-time>"} or {"reset": true}');
    }
    const request = parsed.data;
    if ("advanceSeconds" in request) clock.advance(request.advanceSeconds * 1000);
    else if ("now" in request) clock.set(Date.parse(request.now));
    else clock.reset();
    deps.tick();
    return c.json(clockView(clock));
  });

  app.post("/_emulator/reset", (c) => {
    faults.clear();
    clock.reset();
    state.reset(clock.now());
    deps.changed();
    return c.json({ reset: true });
  });

  return app;
}

function clockView(clock: EmulatorClock) {
  return { now: new Date(clock.now()).toISOString(), offsetMs: clock.offset };
}

async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return undefined;
  }
}

function problem(c: Context, status: 400 | 404, message: string) {
  return c.json({ error: message }, status);
}
