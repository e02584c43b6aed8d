import { createRoute, z } from "@hono/zod-openapi";
import { Reminder } from "../../core/reminder";
import * as CustomerImport from "../../core/reminder/import";
import { router } from "./app";
import { body, errors, IdParam, ImportLineError, json, PresignedPost } from "./schemas";
import { authenticated } from "./session";

const tags = ["Reminders"];
const secured = router();
secured.use("*", authenticated());

const Proposal = z.object({
  scenarioId: z.string(),
  date: z.string(),
  by: z.enum(["km", "months"]),
  overdue: z.boolean(),
  kmAtDate: z.number(),
});

const ImportProgress = z.object({
  importId: z.string(),
  status: z.enum(["uploaded", "running", "done"]),
  agencyId: z.string().optional(),
  total: z.number(),
  processed: z.number(),
  customers: z.number(),
  vehicles: z.number(),
  reminders: z.number(),
  skipped: z.number(),
  finishedAt: z.string().optional(),
});

/** After-sales reminders (« Relance clients »): scenarios, customers and vehicles, reminders. */
export const reminders = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/scenarios",
      tags,
      summary: "Reminder scenarios: the seeded ones (Révision, Contrôle technique…) then the company's own",
      responses: { 200: json(z.object({ items: z.array(Reminder.Scenario) }), "Scenarios"), ...errors },
    }),
    async (c) => c.json({ items: await Reminder.scenarios() }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/scenarios",
      tags,
      summary: "Add a scenario (Admins and Managers)",
      request: body(Reminder.NewScenario),
      responses: { 201: json(z.object({ scenario: Reminder.Scenario }), "Created"), ...errors },
    }),
    async (c) => c.json({ scenario: await Reminder.createScenario(c.req.valid("json")) }, 201),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/scenarios/{scenarioId}",
      tags,
      summary: "Edit a scenario's text, delay or mileage, or switch it off (Admins and Managers)",
      request: {
        params: IdParam("scenarioId"),
        ...body(Reminder.updateScenario.schema.omit({ scenarioId: true }).strict()),
      },
      responses: { 200: json(z.object({ scenario: Reminder.Scenario }), "Updated"), ...errors },
    }),
    async (c) =>
      c.json(
        {
          scenario: await Reminder.updateScenario({
            ...c.req.valid("json"),
            scenarioId: c.req.valid("param").scenarioId,
          }),
        },
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/customers/lookup",
      tags,
      summary: "Step 1: the customer with this mobile, if I can see them, with their vehicles",
      request: { query: z.object({ mobile: z.string().max(40) }) },
      responses: {
        200: json(z.object({ mobile: z.string(), customer: Reminder.Customer.optional() }), "Found or not"),
        ...errors,
      },
    }),
    async (c) => c.json(await Reminder.lookup(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/customers",
      tags,
      summary: "Step 2: save a customer (a contact of type client) and a vehicle",
      request: body(Reminder.CustomerInput),
      responses: { 200: json(z.object({ customer: Reminder.Customer }), "Saved"), ...errors },
    }),
    async (c) => c.json({ customer: await Reminder.saveCustomer(c.req.valid("json")) }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/customers/{contactId}",
      tags,
      summary: "A customer with their vehicles",
      request: { params: IdParam("contactId") },
      responses: { 200: json(z.object({ customer: Reminder.Customer }), "Customer"), ...errors },
    }),
    async (c) => c.json({ customer: await Reminder.customer(c.req.valid("param").contactId) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/plan",
      tags,
      summary:
        "« Aide à la planification »: proposed dates per scenario from the vehicle's dates and mileages",
      request: body(Reminder.plan.schema),
      responses: {
        200: json(
          z.object({
            kmPerYear: z.number(),
            assumed: z.boolean(),
            proposals: z.array(Proposal),
            sameDay: z.array(z.string()),
          }),
          "Proposals",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await Reminder.plan(c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/imports/template",
      tags,
      summary: "The .xlsx template of a customer import (customers, vehicles, scenarios)",
      responses: { 200: { description: "An .xlsx file" }, ...errors },
    }),
    async (c) =>
      c.body(new Uint8Array(await CustomerImport.template()), 200, {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": 'attachment; filename="modele-import-clients.xlsx"',
      }),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/imports",
      tags,
      summary: "Presigned upload for a customer import (.xlsx or .csv, 10 MB)",
      request: body(CustomerImport.upload.schema),
      responses: {
        201: json(PresignedPost.extend({ importId: z.string() }), "Upload target"),
        ...errors,
      },
    }),
    async (c) => c.json(await CustomerImport.upload(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/imports/{importId}/check",
      tags,
      summary: "Dry run: every error by line and column; writes nothing",
      request: { params: IdParam("importId") },
      responses: {
        200: json(
          z.object({
            total: z.number(),
            valid: z.number(),
            errors: z.array(ImportLineError),
            preview: z.array(
              z.object({
                line: z.number(),
                name: z.string(),
                mobile: z.string(),
                plate: z.string(),
                scenarios: z.array(z.string()),
                dueOn: z.string().optional(),
              }),
            ),
          }),
          "Dry run",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await CustomerImport.dryRun(c.req.valid("param").importId), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/imports/{importId}/start",
      tags,
      summary: "Create the valid lines' customers, vehicles and reminders in the background, in an agency",
      request: {
        params: IdParam("importId"),
        ...body(z.strictObject({ agencyId: z.string().max(64), onlyValid: z.boolean() })),
      },
      responses: { 202: json(ImportProgress, "Started"), ...errors },
    }),
    async (c) =>
      c.json(
        await CustomerImport.start({ ...c.req.valid("json"), importId: c.req.valid("param").importId }),
        202,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/imports/{importId}",
      tags,
      summary: "A customer import's progress",
      request: { params: IdParam("importId") },
      responses: { 200: json(ImportProgress, "Progress"), ...errors },
    }),
    async (c) => c.json(await CustomerImport.progress(c.req.valid("param").importId), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      summary: "Reminders by due day; search by name, number or plate",
      request: { query: Reminder.Filters },
      responses: {
        200: json(z.object({ items: z.array(Reminder.Info), cursor: z.string().optional() }), "Reminders"),
        ...errors,
      },
    }),
    async (c) => c.json(await Reminder.list(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      summary: "Step 3: schedule one or several scenarios for a customer's vehicle",
      request: body(Reminder.ScheduleInput),
      responses: {
        201: json(z.object({ reminders: z.array(Reminder.Info), sameDay: z.array(z.string()) }), "Scheduled"),
        ...errors,
      },
    }),
    async (c) => c.json(await Reminder.schedule(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{reminderId}",
      tags,
      summary: "A reminder",
      request: { params: IdParam("reminderId") },
      responses: { 200: json(z.object({ reminder: Reminder.Info }), "Reminder"), ...errors },
    }),
    async (c) => c.json({ reminder: await Reminder.get(c.req.valid("param").reminderId) }, 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{reminderId}",
      tags,
      summary: "Move a pending reminder to another day",
      request: { params: IdParam("reminderId"), ...body(z.strictObject({ date: z.string().max(20) })) },
      responses: { 200: json(z.object({ reminder: Reminder.Info }), "Moved"), ...errors },
    }),
    async (c) =>
      c.json(
        {
          reminder: await Reminder.reschedule({
            reminderId: c.req.valid("param").reminderId,
            date: c.req.valid("json").date,
          }),
        },
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{reminderId}/cancel",
      tags,
      summary: "Cancel a pending reminder",
      request: { params: IdParam("reminderId") },
      responses: { 200: json(z.object({ reminder: Reminder.Info }), "Cancelled"), ...errors },
    }),
    async (c) => c.json({ reminder: await Reminder.cancel(c.req.valid("param").reminderId) }, 200),
  );
