import type { Context, SQSEvent } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as z from "zod";
import { sqsHandler } from "../../functions/sqs";
import { Tally } from "../delivery/status";
import * as Metrics from "./metrics";

/** The EMF lines Powertools writes to stdout while `run` runs, parsed. */
async function emitted(run: () => unknown) {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  const disabled = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = "false";
  try {
    await run();
  } finally {
    write.mockRestore();
    process.env.POWERTOOLS_METRICS_DISABLED = disabled;
  }
  return lines
    .flatMap((chunk) => chunk.split("\n"))
    .filter((line) => line.includes("_aws"))
    .map((line) => JSON.parse(line) as Record<string, unknown> & { _aws: { CloudWatchMetrics: unknown[] } });
}

describe("business metrics", () => {
  afterEach(() => Metrics.flush());

  it("counts each status move once, per company, and not a reclassification", () => {
    const tally = new Tally();
    const a = { companyId: "company-a", campaignId: "c1" };
    tally.move(a, { status: "sending" }, { status: "sent" });
    tally.move(a, { status: "sent" }, { status: "delivered" });
    tally.move(a, { status: "delivered" }, { status: "replied", classification: "yes" });
    tally.move(a, { status: "replied", classification: "yes" }, { status: "replied", classification: "no" });
    tally.move({ companyId: "company-b", campaignId: "c2" }, { status: "sent" }, { status: "undeliverable" });
    expect(Metrics.snapshot()).toEqual({
      "company-a": { MessagesSent: 1, MessagesDelivered: 1, RepliesReceived: 1 },
      "company-b": { MessagesFailed: 1 },
    });
  });

  it("writes one EMF line per company with its companyId dimension, then starts from zero", async () => {
    Metrics.count("company-a", "MessagesSent", 3);
    Metrics.count("company-a", "ImportRows", 120);
    Metrics.count("company-b", "OptOuts");
    const lines = await emitted(() => Metrics.flush());
    expect(lines).toHaveLength(2);
    const a = lines.find((line) => line.companyId === "company-a")!;
    expect(a).toMatchObject({ MessagesSent: 3, ImportRows: 120, service: "relais" });
    expect(a._aws.CloudWatchMetrics).toEqual([
      expect.objectContaining({
        Namespace: "Relais/local",
        Dimensions: [expect.arrayContaining(["companyId", "service"])],
      }),
    ]);
    expect(Metrics.snapshot()).toEqual({});
  });

  it("is flushed at the end of every SQS batch, failed records included", async () => {
    const handler = sqsHandler(z.object({ companyId: z.string() }), async ({ companyId }) => {
      Metrics.count(companyId, "MessagesSent");
      if (companyId === "company-b") throw new Error("provider down");
    });
    const record = (id: string, companyId: string) =>
      ({ messageId: id, body: JSON.stringify({ companyId }) }) as SQSEvent["Records"][number];
    const event = { Records: [record("1", "company-a"), record("2", "company-a"), record("3", "company-b")] };
    let result: unknown;
    const lines = await emitted(async () => {
      result = await handler(event, { functionName: "test", awsRequestId: "r" } as Context);
    });
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: "3" }] });
    expect(lines.map((line) => [line.companyId, line.MessagesSent])).toEqual([
      ["company-a", 2],
      ["company-b", 1],
    ]);
    expect(Metrics.snapshot()).toEqual({});
  });
});
