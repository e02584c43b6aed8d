import { Entity } from "electrodb";
import { entityConfig, onTable } from "../db";

export const surveyTypes = ["yesno", "text", "choice"] as const;

/** A question put to employees (« sondage »), open from `startsAt` to `endsAt`. */
export const SurveyEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "survey", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          surveyId: { type: "string", required: true, readOnly: true },
          question: { type: "string", required: true },
          description: { type: "string" },
          type: { type: surveyTypes, required: true },
          choices: {
            type: "list",
            items: {
              type: "map",
              properties: {
                choiceId: { type: "string", required: true },
                label: { type: "string", required: true },
              },
            },
          },
          multiple: { type: "boolean", required: true, default: false },
          anonymous: { type: "boolean", required: true, default: false },
          /** Oui/Non, named: also asked by SMS when it opens; a reply OUI or NON is the answer (./sms.ts). */
          bySms: { type: "boolean" },
          /** How many were asked by SMS, once their campaign is launched. */
          smsAsked: { type: "number" },
          /** Anonymous surveys: the key of the « has answered » markers' hash; never leaves the server. */
          markerKey: { type: "string" },
          groupIds: { type: "list", items: { type: "string" }, required: true },
          startsAt: { type: "string", required: true },
          endsAt: { type: "string", required: true },
          status: { type: ["scheduled", "open", "closed"] as const, required: true, default: "scheduled" },
          createdBy: { type: "string", required: true },
          createdByName: { type: "string", required: true },
          createdAt: {
            type: "string",
            required: true,
            readOnly: true,
            default: () => new Date().toISOString(),
          },
        },
        indexes: {
          byCompany: {
            pk: { field: "pk", composite: ["companyId"] },
            sk: { field: "sk", composite: ["surveyId"] },
          },
        },
      },
      entityConfig(),
    ),
);

/**
 * One answer. Named: keyed by the partner, so an employee has one answer that a new one replaces.
 * Anonymous: a random key and no partner id, no time: nothing in it points to a person.
 */
export const SurveyAnswerEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "surveyAnswer", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          surveyId: { type: "string", required: true, readOnly: true },
          answerKey: { type: "string", required: true, readOnly: true },
          partnerId: { type: "string" },
          name: { type: "string" },
          yes: { type: "boolean" },
          text: { type: "string" },
          choiceIds: { type: "list", items: { type: "string" } },
          answeredAt: { type: "string" },
          /** Named answers: given in the space (absent) or by an SMS reply. */
          via: { type: ["space", "sms"] as const },
        },
        indexes: {
          bySurvey: {
            pk: { field: "pk", composite: ["companyId", "surveyId"] },
            sk: { field: "sk", composite: ["answerKey"] },
          },
        },
      },
      entityConfig(),
    ),
);

/** Anonymous surveys: « this employee has answered », keyed by a keyed hash of the partner id only. */
export const SurveyMarkerEntity = onTable(
  () =>
    new Entity(
      {
        model: { entity: "surveyMarker", version: "1", service: "relais" },
        attributes: {
          companyId: { type: "string", required: true, readOnly: true },
          surveyId: { type: "string", required: true, readOnly: true },
          marker: { type: "string", required: true, readOnly: true },
        },
        indexes: {
          bySurvey: {
            pk: { field: "pk", composite: ["companyId", "surveyId"] },
            sk: { field: "sk", composite: ["marker"] },
          },
        },
      },
      entityConfig(),
    ),
);
