import { createRoute, z } from "@hono/zod-openapi";
import { useRole } from "../../core/actor";
import { Announcement, AnnouncementAttachment, AnnouncementImage } from "../../core/announcement";
import { Employee } from "../../core/employee";
import { StaffGroup } from "../../core/staff-group";
import { Survey } from "../../core/survey";
import { router } from "./app";
import { body, errors, IdParam, json, PresignedPost } from "./schemas";
import { authenticated } from "./session";

const tags = ["Employees"];
const secured = router();
secured.use("*", authenticated());

const GroupMemberParams = z.object({
  groupId: IdParam("groupId").shape.groupId,
  partnerId: IdParam("partnerId").shape.partnerId,
});

/** A value of a group's file and its line. */
const GroupFileLine = z.object({ line: z.number(), value: z.string() });

/** Employee communication, staff side (« Salariés »): contact details, groups, announcements. */
export const staff = secured
  .openapi(
    createRoute({
      method: "get",
      path: "/settings",
      tags,
      summary: "The company's contact details for employees (« Coordonnées ») and notification quiet hours",
      responses: { 200: json(Employee.Settings, "Settings"), ...errors },
    }),
    async (c) => {
      useRole("admin", "manager");
      return c.json(await Employee.settings(), 200);
    },
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/settings",
      tags,
      summary: "Set the contact details shown to employees and the quiet hours of notifications (Admin)",
      request: body(Employee.SettingsInput),
      responses: { 200: json(Employee.Settings, "Saved"), ...errors },
    }),
    async (c) => c.json(await Employee.updateSettings(c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/groups",
      tags,
      summary: "Groups of employees, « Tous les salariés » first (derived from the staff categories)",
      responses: { 200: json(z.object({ items: z.array(StaffGroup.Group) }), "Groups"), ...errors },
    }),
    async (c) => c.json({ items: await StaffGroup.list() }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/groups",
      tags,
      summary: "Create a group of employees",
      request: body(StaffGroup.NewGroup),
      responses: { 201: json(z.object({ group: StaffGroup.Group }), "Created"), ...errors },
    }),
    async (c) => c.json({ group: await StaffGroup.create(c.req.valid("json")) }, 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/groups/{groupId}",
      tags,
      summary: "One group",
      request: { params: IdParam("groupId") },
      responses: { 200: json(z.object({ group: StaffGroup.Group }), "Group"), ...errors },
    }),
    async (c) => c.json({ group: await StaffGroup.fromId(c.req.valid("param").groupId) }, 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/groups/{groupId}",
      tags,
      summary: "Rename a group",
      request: { params: IdParam("groupId"), ...body(StaffGroup.NewGroup) },
      responses: { 200: json(z.object({ group: StaffGroup.Group }), "Renamed"), ...errors },
    }),
    async (c) =>
      c.json(
        { group: await StaffGroup.rename({ ...c.req.valid("json"), groupId: c.req.valid("param").groupId }) },
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/groups/{groupId}",
      tags,
      summary: "Delete a group (its employees stay employees)",
      request: { params: IdParam("groupId") },
      responses: { 204: { description: "Deleted" }, ...errors },
    }),
    async (c) => {
      await StaffGroup.remove(c.req.valid("param").groupId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/groups/{groupId}/members",
      tags,
      summary: "A group's employees, searched by name, matricule, mobile or email",
      request: {
        params: IdParam("groupId"),
        query: z.object({ q: z.string().max(100).optional() }),
      },
      responses: { 200: json(z.object({ items: z.array(StaffGroup.Member) }), "Members"), ...errors },
    }),
    async (c) =>
      c.json(
        {
          items: await StaffGroup.members({
            groupId: c.req.valid("param").groupId,
            q: c.req.valid("query").q,
          }),
        },
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/groups/{groupId}/members",
      tags,
      summary: "Add employees to a group",
      request: {
        params: IdParam("groupId"),
        ...body(z.object({ partnerIds: StaffGroup.Change.shape.partnerIds })),
      },
      responses: { 200: json(z.object({ group: StaffGroup.Group }), "Added"), ...errors },
    }),
    async (c) =>
      c.json(
        {
          group: await StaffGroup.add({
            groupId: c.req.valid("param").groupId,
            partnerIds: c.req.valid("json").partnerIds,
          }),
        },
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/groups/{groupId}/paste",
      tags,
      summary:
        "Add the employees of a column pasted from Excel (matricules, mobiles or emails); says what matched no one",
      request: { params: IdParam("groupId"), ...body(z.object({ text: StaffGroup.Paste.shape.text })) },
      responses: {
        200: json(
          z.object({
            added: z.number(),
            unknown: z.array(z.string()),
            notEmployees: z.array(z.string()),
            group: StaffGroup.Group,
          }),
          "Added",
        ),
        ...errors,
      },
    }),
    async (c) =>
      c.json(
        await StaffGroup.paste({ groupId: c.req.valid("param").groupId, text: c.req.valid("json").text }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/groups/{groupId}/import/uploads",
      tags,
      summary: "Presigned upload of a file to add to a group (.xlsx or .csv, 5 MB, 5,000 rows)",
      request: {
        params: IdParam("groupId"),
        ...body(z.strictObject({ fileName: z.string().max(200), size: z.number().int() })),
      },
      responses: {
        200: json(PresignedPost.extend({ uploadId: z.string() }), "Where to POST the file"),
        ...errors,
        413: errors[400],
      },
    }),
    async (c) =>
      c.json(
        await StaffGroup.fileUpload({ ...c.req.valid("json"), groupId: c.req.valid("param").groupId }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/groups/{groupId}/import/{uploadId}",
      tags,
      summary:
        "Add the employees of an uploaded file (Matricule, Mobile or Email column, else the first); what matched no one, by line",
      request: {
        params: z.object({
          groupId: IdParam("groupId").shape.groupId,
          uploadId: IdParam("uploadId").shape.uploadId,
        }),
      },
      responses: {
        200: json(
          z.object({
            added: z.number(),
            unknown: z.array(GroupFileLine),
            notEmployees: z.array(GroupFileLine),
            issues: z.array(z.object({ line: z.number(), code: z.string(), message: z.string() })),
            group: StaffGroup.Group,
          }),
          "Added",
        ),
        ...errors,
        413: errors[400],
        422: errors[400],
      },
    }),
    async (c) => c.json(await StaffGroup.importUpload(c.req.valid("param")), 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/groups/{groupId}/members/{partnerId}",
      tags,
      summary: "Remove an employee from a group",
      request: { params: GroupMemberParams },
      responses: { 200: json(z.object({ group: StaffGroup.Group }), "Removed"), ...errors },
    }),
    async (c) => c.json({ group: await StaffGroup.removeMember(c.req.valid("param")) }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/announcements",
      tags,
      summary: "Announcements, newest first, with targeted, notified and opened counts",
      responses: { 200: json(z.object({ items: z.array(Announcement.Info) }), "Announcements"), ...errors },
    }),
    async (c) => c.json({ items: await Announcement.list() }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/announcements",
      tags,
      summary:
        "Publish an announcement (Message, Avantage, Bon plan, Document) to groups, shown from its start to its end",
      request: body(Announcement.Input),
      responses: { 201: json(z.object({ announcement: Announcement.Info }), "Published"), ...errors },
    }),
    async (c) => c.json({ announcement: await Announcement.create(c.req.valid("json")) }, 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/announcements/{announcementId}",
      tags,
      summary: "One announcement and its counts",
      request: { params: IdParam("announcementId") },
      responses: { 200: json(z.object({ announcement: Announcement.Info }), "Announcement"), ...errors },
    }),
    async (c) =>
      c.json({ announcement: await Announcement.fromId(c.req.valid("param").announcementId) }, 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/announcements/{announcementId}",
      tags,
      summary: "Withdraw an announcement (employees no longer see it)",
      request: { params: IdParam("announcementId") },
      responses: { 204: { description: "Withdrawn" }, ...errors },
    }),
    async (c) => {
      await Announcement.remove(c.req.valid("param").announcementId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/announcements/{announcementId}/image",
      tags,
      summary: "Where to upload the illustration (JPEG or PNG, 10 MB), before `/image/process`",
      request: {
        params: IdParam("announcementId"),
        ...body(z.object({ contentType: z.enum(["image/jpeg", "image/png"]) })),
      },
      responses: { 200: json(PresignedPost, "Presigned upload"), ...errors },
    }),
    async (c) =>
      c.json(
        await AnnouncementImage.uploadTarget({
          announcementId: c.req.valid("param").announcementId,
          contentType: c.req.valid("json").contentType,
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/announcements/{announcementId}/image/process",
      tags,
      summary: "Resize the uploaded illustration to a few widths, re-encoded as JPEG without metadata",
      request: { params: IdParam("announcementId") },
      responses: { 200: json(z.object({ widths: z.array(z.number()) }), "Resized"), ...errors },
    }),
    async (c) => c.json(await AnnouncementImage.process(c.req.valid("param").announcementId), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/announcements/{announcementId}/attachment",
      tags,
      summary:
        "Where to upload the optional attachment (PDF, Office, images; 20 MB), before `/attachment/confirm`",
      request: {
        params: IdParam("announcementId"),
        ...body(AnnouncementAttachment.Upload.omit({ announcementId: true })),
      },
      responses: { 200: json(PresignedPost, "Presigned upload"), ...errors },
    }),
    async (c) =>
      c.json(
        await AnnouncementAttachment.uploadTarget({
          ...c.req.valid("json"),
          announcementId: c.req.valid("param").announcementId,
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/announcements/{announcementId}/attachment/confirm",
      tags,
      summary: "Check the uploaded attachment's bytes (not a program, what its type says) and show it",
      request: {
        params: IdParam("announcementId"),
        ...body(AnnouncementAttachment.Upload.omit({ announcementId: true })),
      },
      responses: {
        200: json(z.object({ attachmentName: z.string(), size: z.number() }), "Attached"),
        ...errors,
      },
    }),
    async (c) =>
      c.json(
        await AnnouncementAttachment.confirm({
          ...c.req.valid("json"),
          announcementId: c.req.valid("param").announcementId,
        }),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/surveys",
      tags,
      summary: "Surveys, newest first",
      responses: { 200: json(z.object({ items: z.array(Survey.Info) }), "Surveys"), ...errors },
    }),
    async (c) => c.json({ items: await Survey.list() }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/surveys",
      tags,
      summary: "Create a survey (Oui/Non, Réponse texte, Choix multiple), open from its start to its end",
      request: body(Survey.Input),
      responses: { 201: json(z.object({ survey: Survey.Info }), "Created"), ...errors },
    }),
    async (c) => c.json({ survey: await Survey.create(c.req.valid("json")) }, 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/surveys/{surveyId}",
      tags,
      summary: "One survey",
      request: { params: IdParam("surveyId") },
      responses: { 200: json(z.object({ survey: Survey.Info }), "Survey"), ...errors },
    }),
    async (c) => c.json({ survey: await Survey.fromId(c.req.valid("param").surveyId) }, 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/surveys/{surveyId}",
      tags,
      summary: "Delete a survey and its answers",
      request: { params: IdParam("surveyId") },
      responses: { 204: { description: "Deleted" }, ...errors },
    }),
    async (c) => {
      await Survey.remove(c.req.valid("param").surveyId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/surveys/{surveyId}/report",
      tags,
      summary: "« Rapport de sondage »: live counts per choice, participation, text answers",
      request: { params: IdParam("surveyId") },
      responses: { 200: json(Survey.Report, "Report"), ...errors },
    }),
    async (c) => c.json(await Survey.report(c.req.valid("param").surveyId), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/surveys/{surveyId}/answers.csv",
      tags,
      summary: "The answers as CSV (UTF-8 with BOM, `;`, formulas neutralised)",
      request: { params: IdParam("surveyId") },
      responses: { 200: { description: "A .csv file" }, ...errors },
    }),
    async (c) => {
      const file = await Survey.exportAnswers({ surveyId: c.req.valid("param").surveyId, format: "csv" });
      return c.body(new Uint8Array(file.bytes), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/surveys/{surveyId}/answers.xlsx",
      tags,
      summary: "The answers as an Excel file",
      request: { params: IdParam("surveyId") },
      responses: { 200: { description: "An .xlsx file" }, ...errors },
    }),
    async (c) => {
      const file = await Survey.exportAnswers({ surveyId: c.req.valid("param").surveyId, format: "xlsx" });
      return c.body(new Uint8Array(file.bytes), 200, {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      });
    },
  );
