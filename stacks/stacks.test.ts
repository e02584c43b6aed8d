import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Template as Assertions, Match } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingNames } from "../core/config";
import { sourceQueueOf } from "../core/dead-letter/dead-letter";
import { queueName as eventQueueName } from "../core/event";
import { queueName, queueNames, queueOf, queues as queueTable, visibilityTimeout } from "../core/queues";
import { subscribers } from "../core/subscribers";
import { routeKeys } from "../functions/api/index";
import { type SynthesizedStack, type SynthResult, synthesize } from "../scripts/synth";
import { apiRouteStacks, parseRouteKey, ROUTE_STACKS, routeShards } from "./ApiRoutes";

type Json = unknown;
type Resource = { Type: string; Properties?: Record<string, Json>; DeletionPolicy?: string };
type Statement = {
  Effect: string;
  Action: string | string[];
  Resource?: Json;
  Condition?: Json;
  Sid?: string;
};

const workdir = mkdtempSync(path.join(tmpdir(), "relais-synth-"));
let dev: SynthResult;
let prodStorage: SynthResult;

beforeAll(async () => {
  // The console is built elsewhere; ship the web/dist the global setup built instead of running Vite here.
  const env = { RELAIS_WEB_BUILD: "skip" };
  dev = await synthesize({
    stage: "dev",
    outdir: path.join(workdir, "dev"),
    workdir,
    env,
    failOnNagErrors: false,
  });
  // Only Storage is built: prod differs from dev in retention, not in shape.
  prodStorage = await synthesize({
    stage: "prod",
    outdir: path.join(workdir, "prod"),
    workdir,
    only: ["Storage"],
    env: { ...env, RELAIS_DOMAIN: "sms.example.fr", RELAIS_MAIL_FROM: "no-reply@example.fr" },
    failOnNagErrors: false,
  });
  // Bundling every function takes most of it; generous, since other test runs share the CPU.
}, 360_000);

afterAll(() => rmSync(workdir, { recursive: true, force: true }));

const stack = (result: SynthResult, id: string): SynthesizedStack => {
  const found = result.stacks.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`No stack ${id}`);
  return found;
};
const resources = (result: SynthResult, id: string) =>
  Object.entries((stack(result, id).template.Resources ?? {}) as Record<string, Resource>);
const allResources = (result: SynthResult) =>
  result.stacks.flatMap((s) =>
    resources(result, s.id).map(([logicalId, r]) => ({ stack: s.id, logicalId, ...r })),
  );
const ofType = (result: SynthResult, id: string, type: string) =>
  resources(result, id).filter(([, resource]) => resource.Type === type);
const props = (resource: Resource) => resource.Properties ?? {};
const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Export name → `stack/logicalId` it exports, to follow Fn::ImportValue across stacks. */
function exportsOf(result: SynthResult) {
  const exported = new Map<string, string>();
  for (const s of result.stacks) {
    for (const output of Object.values((s.template.Outputs ?? {}) as Record<string, Record<string, Json>>)) {
      const name = (output.Export as { Name?: string } | undefined)?.Name;
      if (!name) continue;
      const [target] = logicalIds(output.Value, s.id, new Map());
      if (target) exported.set(name, target);
    }
  }
  return exported;
}

/** Every `stack/logicalId` a CloudFormation value points at (Ref, GetAtt, ImportValue). */
function logicalIds(value: Json, stackId: string, exported: Map<string, string>): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => logicalIds(item, stackId, exported));
  if (value === null || typeof value !== "object") return [];
  const object = value as Record<string, Json>;
  if (typeof object.Ref === "string")
    return object.Ref.startsWith("AWS::") ? [] : [`${stackId}/${object.Ref}`];
  if (Array.isArray(object["Fn::GetAtt"])) return [`${stackId}/${String(object["Fn::GetAtt"][0])}`];
  if (typeof object["Fn::ImportValue"] === "string") {
    const target = exported.get(object["Fn::ImportValue"]);
    return target ? [target] : [];
  }
  return Object.values(object).flatMap((item) => logicalIds(item, stackId, exported));
}

/** Each Lambda function with the statements of its role (inline, attached policies). */
function functionsWithStatements(result: SynthResult) {
  const all = allResources(result);
  return all
    .filter((r) => r.Type === "AWS::Lambda::Function")
    .map((fn) => {
      const [roleId] = logicalIds(props(fn).Role, fn.stack, new Map());
      const role = all.find((r) => `${r.stack}/${r.logicalId}` === roleId);
      const inline = asArray(
        props(role ?? { Type: "" }).Policies as { PolicyDocument: { Statement: Statement[] } }[],
      );
      const attached = all.filter(
        (r) =>
          r.Type === "AWS::IAM::Policy" &&
          logicalIds(props(r).Roles, r.stack, new Map()).includes(roleId ?? ""),
      );
      const statements = [
        ...inline.flatMap((policy) => policy.PolicyDocument.Statement),
        ...attached.flatMap(
          (policy) => (props(policy).PolicyDocument as { Statement: Statement[] }).Statement,
        ),
      ];
      return { ...fn, id: `${fn.stack}/${fn.logicalId}`, role, statements };
    });
}

/** Every policy document in the app: identity policies and resource policies alike. */
function allStatements(result: SynthResult) {
  const documents: { where: string; type: string; statements: Statement[] }[] = [];
  for (const r of allResources(result)) {
    const where = `${r.stack}/${r.logicalId}`;
    const p = props(r);
    const docs = [
      p.PolicyDocument,
      p.KeyPolicy,
      p.AssumeRolePolicyDocument,
      ...asArray(p.Policies as { PolicyDocument: Json }[]).map((policy) => policy.PolicyDocument),
    ].filter(Boolean) as { Statement: Statement[] }[];
    for (const doc of docs) documents.push({ where, type: r.Type, statements: doc.Statement });
  }
  return documents;
}

const byId = (result: SynthResult, prefix: string) => {
  const found = functionsWithStatements(result).find((fn) => fn.logicalId.startsWith(prefix));
  if (!found) throw new Error(`No function ${prefix}`);
  return found;
};

const byHandler = (result: SynthResult, handler: string) => {
  const found = functionsWithStatements(result).find((fn) => props(fn).Handler === handler);
  if (!found) throw new Error(`No function ${handler}`);
  return found;
};

describe("api", () => {
  const routes = () => allResources(dev).filter((r) => r.Type === "AWS::ApiGatewayV2::Route");

  it("routes exactly what the Hono app serves, each route once across the route stacks", () => {
    const keys = routes().map((r) => String(props(r).RouteKey));
    expect([...keys].sort()).toEqual(routeKeys());
    expect(new Set(routes().map((r) => r.stack))).toEqual(
      new Set(Array.from({ length: ROUTE_STACKS }, (_, index) => `ApiRoutes${index + 1}`)),
    );
  });

  it("sends every route to the single Hono function, through an integration of its own stack", () => {
    const exported = exportsOf(dev);
    const handler = byHandler(dev, "functions/api/lambda.handler").id;
    for (const route of routes()) {
      const [integration] = logicalIds(props(route).Target, route.stack, exported);
      const found = allResources(dev).find((r) => `${r.stack}/${r.logicalId}` === integration);
      expect(found?.Type, String(props(route).RouteKey)).toBe("AWS::ApiGatewayV2::Integration");
      expect(logicalIds(props(found ?? { Type: "" }).IntegrationUri, route.stack, exported)).toEqual([
        handler,
      ]);
    }
  });

  it("lets API Gateway invoke the function with one permission per route stack, not one per route", () => {
    const exported = exportsOf(dev);
    const handler = byHandler(dev, "functions/api/lambda.handler").id;
    const permissions = allResources(dev).filter(
      (r) =>
        r.Type === "AWS::Lambda::Permission" &&
        logicalIds(props(r).FunctionName, r.stack, exported).includes(handler),
    );
    expect(permissions).toHaveLength(ROUTE_STACKS);
    for (const permission of permissions) {
      expect(props(permission).Principal).toBe("apigateway.amazonaws.com");
      expect(JSON.stringify(props(permission).SourceArn)).toContain("/*/*/*");
    }
  });

  it("keeps every stack well under CloudFormation's 500 resources", () => {
    for (const s of dev.stacks) {
      expect(Object.keys(s.template.Resources ?? {}).length, s.id).toBeLessThan(400);
    }
  });
});

describe("api route stacks", () => {
  const ids = (stacks: ReturnType<typeof apiRouteStacks>) => stacks.map((s) => s.id);

  it("takes a route added to the app without a stack edit", () => {
    const added = "GET /api/widgets/{widgetId}";
    const shards = routeShards([...routeKeys(), added]);
    expect(shards.flat().sort()).toEqual([...routeKeys(), added].sort());
    expect(ids(apiRouteStacks([...routeKeys(), added]))).toEqual(ids(apiRouteStacks()));
  });

  it("never moves a route to another stack when routes are added or removed", () => {
    const before = routeShards(routeKeys());
    const changed = [...routeKeys().slice(5), "POST /api/widgets", "GET /api/widgets/{widgetId}/parts"];
    const after = routeShards(changed);
    for (const [index, shard] of after.entries()) {
      for (const key of shard.filter((k) => routeKeys().includes(k))) expect(before[index]).toContain(key);
    }
  });

  it("stays under 400 routes a stack with four times today's routes", () => {
    const many = [0, 1, 2, 3].flatMap((copy) =>
      routeKeys().map((key) => key.replace("/api/", `/api/v${copy}/`)),
    );
    for (const shard of routeShards(many)) expect(shard.length).toBeLessThan(390);
  });

  it("refuses a key API Gateway would not accept", () => {
    expect(parseRouteKey("GET /api/health")).toEqual({ method: "GET", path: "/api/health" });
    expect(() => parseRouteKey("FETCH /api/health")).toThrow(/route key/);
    expect(() => parseRouteKey("GET api/health")).toThrow(/route key/);
  });
});

describe("queues", () => {
  const queues = () => ofType(dev, "Messaging", "AWS::SQS::Queue");
  const deadLetterIds = () =>
    new Set(
      queues().flatMap(([, q]) =>
        logicalIds(
          (props(q).RedrivePolicy as { deadLetterTargetArn?: Json })?.deadLetterTargetArn,
          "Messaging",
          new Map(),
        ),
      ),
    );

  it("gives every work queue a redrive policy to a dead-letter queue", () => {
    const dlqs = deadLetterIds();
    const work = queues().filter(([id]) => !dlqs.has(`Messaging/${id}`));
    expect(work.length).toBe(queueNames.length);
    expect(dlqs.size).toBe(queueNames.length);
  });

  it("builds every queue and its consumer from core/queues.ts", () => {
    const exported = exportsOf(dev);
    const all = queues();
    const mappings = ofType(dev, "Messaging", "AWS::Lambda::EventSourceMapping").map(([, m]) => props(m));
    for (const name of queueNames) {
      const entry = queueTable[name];
      const found = all.find(([, q]) => props(q).QueueName === queueName("dev", name));
      expect(found, name).toBeDefined();
      const [id, queue] = found!;
      expect(props(queue).VisibilityTimeout, name).toBe(visibilityTimeout(name));
      expect(props(queue).VisibilityTimeout, name).toBe(entry.timeout * 6);
      const redrive = props(queue).RedrivePolicy as { maxReceiveCount: number; deadLetterTargetArn: Json };
      expect(redrive.maxReceiveCount, name).toBe(entry.maxReceiveCount);
      const [dlqId] = logicalIds(redrive.deadLetterTargetArn, "Messaging", exported);
      const dlq = all.find(([candidate]) => `Messaging/${candidate}` === dlqId)?.[1];
      expect(props(dlq ?? { Type: "" }).QueueName, name).toBe(`${queueName("dev", name)}-dlq`);
      const mapping = mappings.find(
        (m) => logicalIds(m.EventSourceArn, "Messaging", exported)[0] === `Messaging/${id}`,
      );
      expect(mapping?.BatchSize, name).toBe(entry.batchSize);
      const concurrency = (entry as { maxConcurrency?: number }).maxConcurrency;
      expect(
        (mapping?.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency,
        name,
      ).toBe(concurrency);
      const [fnId] = logicalIds(mapping?.FunctionName, "Messaging", exported);
      const fn = allResources(dev).find((r) => `${r.stack}/${r.logicalId}` === fnId);
      expect(props(fn ?? { Type: "" }).Handler, name).toBe(`${entry.consumer}.handler`);
      expect(props(fn ?? { Type: "" }).Timeout, name).toBe(entry.timeout);
    }
  });

  it("names every dead-letter queue after its queue, so a dead message can go back where it died", () => {
    const dlqs = deadLetterIds();
    const names = queues()
      .filter(([id]) => dlqs.has(`Messaging/${id}`))
      .map(([, queue]) => `arn:aws:sqs:eu-west-3:123456789012:${String(props(queue).QueueName)}`);
    expect(names.map((name) => queueOf(name)).sort()).toEqual([
      "dispatch",
      "email-events",
      "email-inbound",
      "erasure",
      "import",
      "sms-events",
      "sms-inbound",
      "webhooks",
    ]);
  });

  it("alarms on the first message in every dead-letter queue", () => {
    const alarms = ofType(dev, "Messaging", "AWS::CloudWatch::Alarm").map(([, a]) => props(a));
    for (const dlq of deadLetterIds()) {
      const alarm = alarms.find(
        (a) =>
          a.MetricName === "NumberOfMessagesReceived" &&
          logicalIds(a.Dimensions, "Messaging", new Map()).includes(dlq),
      );
      expect(alarm, dlq).toMatchObject({ Threshold: 0, ComparisonOperator: "GreaterThanThreshold" });
      expect(asArray(alarm?.AlarmActions).length, dlq).toBeGreaterThan(0);
    }
  });

  it("consumes every work queue and every DLQ with partial batch responses", () => {
    const mappings = ofType(dev, "Messaging", "AWS::Lambda::EventSourceMapping").map(([, m]) => props(m));
    expect(mappings).toHaveLength(queueNames.length * 2);
    for (const mapping of mappings)
      expect(mapping.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
  });
});

describe("scheduler", () => {
  const schedulerRole = () => {
    const [roleId, role] =
      ofType(dev, "Scheduler", "AWS::IAM::Role").find(([id]) => id.startsWith("SchedulerRole")) ?? [];
    if (!role || !roleId) throw new Error("No scheduler role");
    return { roleId: `Scheduler/${roleId}`, role };
  };

  it("creates the schedule group", () => {
    Assertions.fromJSON(stack(dev, "Scheduler").template).hasResourceProperties(
      "AWS::Scheduler::ScheduleGroup",
      {
        Name: "dev-relais",
      },
    );
  });

  it("applies the vault's retention daily at 03:00 Paris, on the import queue", () => {
    const [, schedule] =
      ofType(dev, "Scheduler", "AWS::Scheduler::Schedule").find(([id]) =>
        id.startsWith("VaultRetentionSchedule"),
      ) ?? [];
    if (!schedule) throw new Error("No retention schedule");
    const { ScheduleExpression, ScheduleExpressionTimezone, Target } = props(schedule) as {
      ScheduleExpression: string;
      ScheduleExpressionTimezone: string;
      Target: { Input: string };
    };
    expect(ScheduleExpression).toBe("cron(0 3 * * ? *)");
    expect(ScheduleExpressionTimezone).toBe("Europe/Paris");
    expect(JSON.parse(Target.Input)).toEqual({ kind: "vault.retention", companyId: "*" });
  });

  it("fires after-sales reminders from one hourly tick (Paris time) on the dispatch queue, not a schedule per reminder", () => {
    const schedules = ofType(dev, "Scheduler", "AWS::Scheduler::Schedule");
    const [, schedule] = schedules.find(([id]) => id.startsWith("ReminderTickSchedule")) ?? [];
    if (!schedule) throw new Error("No reminder tick");
    const { ScheduleExpression, ScheduleExpressionTimezone, Target } = props(schedule) as {
      ScheduleExpression: string;
      ScheduleExpressionTimezone: string;
      Target: { Input: string; Arn: unknown };
    };
    expect(ScheduleExpression).toBe("cron(0 * * * ? *)");
    expect(ScheduleExpressionTimezone).toBe("Europe/Paris");
    // The occurrence's time reaches the job as a Scheduler context attribute.
    expect(JSON.parse(Target.Input)).toEqual({
      kind: "reminders.tick",
      companyId: "*",
      at: "<aws.scheduler.scheduled-time>",
    });
    expect(JSON.stringify(Target.Arn)).toContain("Dispatch");
  });

  it("sweeps every five minutes: the sweep job on the dispatch queue, through the scheduler role", () => {
    const [, schedule] =
      ofType(dev, "Scheduler", "AWS::Scheduler::Schedule").find(([id]) => id.startsWith("SweepSchedule")) ??
      [];
    if (!schedule) throw new Error("No sweep schedule");
    const { GroupName, ScheduleExpression, Target } = props(schedule) as {
      GroupName: string;
      ScheduleExpression: string;
      Target: { Arn: unknown; RoleArn: unknown; Input: string };
    };
    expect(GroupName).toBe("dev-relais");
    expect(ScheduleExpression).toBe("rate(5 minutes)");
    expect(JSON.parse(Target.Input)).toEqual({ kind: "sweep", companyId: "*" });
    const exported = exportsOf(dev);
    const dispatch = logicalIds(
      props(
        ofType(dev, "Messaging", "AWS::Lambda::EventSourceMapping").find(([id]) =>
          id.startsWith("DispatchConsumer"),
        )?.[1] ?? { Type: "" },
      ).EventSourceArn,
      "Messaging",
      exported,
    );
    expect(logicalIds(Target.Arn, "Scheduler", exported)).toEqual(dispatch);
    expect(logicalIds(Target.RoleArn, "Scheduler", exported)).toEqual([schedulerRole().roleId]);
  });

  it("lets only EventBridge Scheduler of this account assume its role", () => {
    const trust = (props(schedulerRole().role).AssumeRolePolicyDocument as { Statement: Statement[] })
      .Statement;
    expect(trust).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Principal: { Service: "scheduler.amazonaws.com" },
        Condition: expect.objectContaining({ StringEquals: { "aws:SourceAccount": "123456789012" } }),
      }),
    ]);
  });

  it("lets its role only send messages to the job queues", () => {
    const { roleId, role } = schedulerRole();
    const exported = exportsOf(dev);
    const jobQueues = queueNames
      .filter((name) => "jobs" in queueTable[name])
      .flatMap((name) =>
        logicalIds(
          props(
            ofType(dev, "Messaging", "AWS::Lambda::EventSourceMapping").find(([id]) =>
              id.startsWith(`${name[0]!.toUpperCase()}${name.slice(1)}Consumer`),
            )?.[1] ?? { Type: "" },
          ).EventSourceArn,
          "Messaging",
          exported,
        ),
      );
    expect(jobQueues).toHaveLength(4);
    const attached = allResources(dev).filter(
      (r) => r.Type === "AWS::IAM::Policy" && logicalIds(props(r).Roles, r.stack, exported).includes(roleId),
    );
    expect(attached).toEqual([]);
    const statements = asArray(
      props(role).Policies as { PolicyDocument: { Statement: Statement[] } }[],
    ).flatMap((policy) => policy.PolicyDocument.Statement);
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Action).toBe("sqs:SendMessage");
    expect(logicalIds(statements[0]?.Resource, "Scheduler", exported).sort()).toEqual(jobQueues.sort());
  });
});

describe("API origin", () => {
  it("has CloudFront prove itself to the API with a generated secret header", () => {
    const [, distribution] = ofType(dev, "Web", "AWS::CloudFront::Distribution")[0] ?? [];
    const origins = (
      props(distribution!).DistributionConfig as {
        Origins: Array<{ OriginCustomHeaders?: Array<{ HeaderName: string }> }>;
      }
    ).Origins;
    expect(
      origins.some((origin) =>
        origin.OriginCustomHeaders?.some((header) => header.HeaderName === "x-relais-origin"),
      ),
    ).toBe(true);
    const api = byId(dev, "ApiHandler");
    expect(Object.keys((props(api).Environment as { Variables: object }).Variables)).toContain(
      "ORIGIN_SECRET",
    );
    expect(ofType(dev, "Api", "AWS::SecretsManager::Secret")).toHaveLength(1);
  });
});

describe("least privilege", () => {
  it("keeps the dispatch consumer away from the vault bucket", () => {
    const exported = exportsOf(dev);
    const vault = ofType(dev, "Storage", "AWS::S3::Bucket").find(([id]) => id.startsWith("Vault"))?.[0];
    const dispatcher = byId(dev, "DispatchConsumer");
    const touched = dispatcher.statements.flatMap((s) => logicalIds(s.Resource, "Messaging", exported));
    expect(touched).not.toContain(`Storage/${vault}`);
    expect(Object.keys((props(dispatcher).Environment as { Variables: object }).Variables)).not.toContain(
      "VAULT_BUCKET",
    );
  });

  it("hands the signature secret only to the functions that seal or open with it", () => {
    const holders = functionsWithStatements(dev)
      .filter((fn) =>
        Object.keys((props(fn).Environment as { Variables?: object } | undefined)?.Variables ?? {}).includes(
          "SIGNATURE_SECRET",
        ),
      )
      .map((fn) => fn.logicalId.replace(/[0-9A-F]{8}$/, ""))
      .sort();
    // The API (certificates uploaded, webhook secrets generated), the import consumer (documents sealed
    // at publication), the webhooks consumer (deliveries signed).
    expect(holders).toEqual(["ApiHandler", "ImportConsumer", "WebhooksConsumer"]);
  });

  it("lets only the dispatch consumer run PartiQL updates, on the table itself", () => {
    const exported = exportsOf(dev);
    const table = ofType(dev, "Storage", "AWS::DynamoDB::Table")[0]?.[0];
    const updaters = functionsWithStatements(dev).filter((fn) =>
      fn.statements.some((s) => asArray(s.Action).some((action) => action.startsWith("dynamodb:PartiQL"))),
    );
    expect(updaters.map((fn) => fn.logicalId.replace(/[0-9A-F]{8}$/, ""))).toEqual(["DispatchConsumer"]);
    const statement = updaters[0]!.statements.find((s) =>
      asArray(s.Action).includes("dynamodb:PartiQLUpdate"),
    )!;
    expect(statement.Action).toBe("dynamodb:PartiQLUpdate");
    expect(logicalIds(statement.Resource, "Messaging", exported)).toEqual([`Storage/${table}`]);
  });

  it("lets only the erasure consumer Scan the table, and no other consumer list a bucket", () => {
    const names = (predicate: (action: string) => boolean) =>
      functionsWithStatements(dev)
        .filter((fn) => fn.statements.some((s) => asArray(s.Action).some(predicate)))
        .map((fn) => fn.logicalId.replace(/[0-9A-F]{8}$/, ""));
    expect(names((action) => action === "dynamodb:Scan")).toEqual(["ErasureConsumer"]);
    // The API's health probe (HeadBucket is authorised by s3:ListBucket) and CDK's auto-delete of a dev
    // stage's buckets list too; no other consumer does.
    expect(names((action) => action === "s3:ListBucket").sort()).toEqual([
      "ApiHandler",
      "CustomResourceHandler",
      "ErasureConsumer",
    ]);
    const eraser = byId(dev, "ErasureConsumer");
    const actions = eraser.statements.flatMap((s) => asArray(s.Action));
    expect(actions.filter((a) => /^(ses|sms-voice|sns|scheduler|iam):/.test(a))).toEqual([]);
    expect(actions).not.toContain("s3:PutObject");
    expect(queueTable.erasure.batchSize).toBe(1);
  });

  it("gives iam:PassRole only to the schedule-creating function, on the scheduler role only", () => {
    const exported = exportsOf(dev);
    const schedulerRoleId = `Scheduler/${ofType(dev, "Scheduler", "AWS::IAM::Role").find(([id]) => id.startsWith("SchedulerRole"))?.[0]}`;
    const passers = functionsWithStatements(dev).filter((fn) =>
      fn.statements.some((s) => asArray(s.Action).some((action) => action.startsWith("iam:"))),
    );
    // The API schedules campaigns; the dispatch consumer moves a launch that falls in quiet hours; the
    // webhooks consumer schedules a retry further off than SQS can delay it; the import consumer
    // schedules a document's signature reminders at publication, and the info-campaigns subscriber those
    // of the campaign documents to sign it gives.
    expect(passers.map((fn) => fn.logicalId.replace(/[0-9A-F]{8}$/, "")).sort()).toEqual([
      "ApiHandler",
      "DispatchConsumer",
      "ImportConsumer",
      "InfoCampaignsSubscriber",
      "WebhooksConsumer",
    ]);
    for (const passer of passers) {
      expect(passer.statements.some((s) => asArray(s.Action).includes("scheduler:CreateSchedule"))).toBe(
        true,
      );
      for (const statement of passer.statements.filter((s) => asArray(s.Action).includes("iam:PassRole"))) {
        expect(statement.Action).toBe("iam:PassRole");
        if (props(passer).Handler === "functions/api/lambda.handler")
          expect(logicalIds(statement.Resource, "Api", exported)).toEqual([schedulerRoleId]);
        // Same stack cycle avoided by name: the role Scheduler creates under that fixed name.
        else expect(JSON.stringify(statement.Resource)).toMatch(/:role\/[a-z0-9-]+-relais-scheduler"/);
        expect(statement.Condition).toEqual({
          StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" },
        });
      }
    }
  });

  it("lets the dispatch consumer send to the dispatch queue and, for the reminders' tick, the import queue only", () => {
    const dispatch = byId(dev, "DispatchConsumer");
    const sends = dispatch.statements.filter((statement) =>
      asArray(statement.Action).includes("sqs:SendMessage"),
    );
    const targets = JSON.stringify(sends.map((statement) => statement.Resource));
    expect(targets).toMatch(/DispatchQueue/);
    expect(targets).toMatch(/ImportQueue/);
    expect(targets).not.toMatch(/SmsEvents|SmsInbound|EmailEvents|EmailInbound/);
  });

  it("runs webhook attempts on their own bounded queue, whose consumer sends only there and reads no bucket", () => {
    const exported = exportsOf(dev);
    expect(queueTable.webhooks.maxConcurrency).toBeLessThanOrEqual(5);
    expect(queueTable.webhooks.batchSize).toBeGreaterThanOrEqual(1);
    expect(queueTable.webhooks.batchSize).toBeLessThanOrEqual(5);
    // Every post of a batch may take its 10 s (core/webhook/post.ts), one after the other.
    expect(queueTable.webhooks.timeout).toBeGreaterThanOrEqual(queueTable.webhooks.batchSize * 10 + 10);
    const consumer = byId(dev, "WebhooksConsumer");
    const [webhookQueue] = logicalIds(
      props(
        ofType(dev, "Messaging", "AWS::Lambda::EventSourceMapping").find(([id]) =>
          id.startsWith("WebhooksConsumer"),
        )?.[1] ?? { Type: "" },
      ).EventSourceArn,
      "Messaging",
      exported,
    );
    const sends = consumer.statements.filter((s) => asArray(s.Action).includes("sqs:SendMessage"));
    expect(sends.flatMap((s) => logicalIds(s.Resource, "Messaging", exported))).toEqual([webhookQueue]);
    const actions = consumer.statements.flatMap((s) => asArray(s.Action));
    expect(actions.filter((a) => /^(s3|ses|sms-voice|sns):/.test(a))).toEqual([]);
    const variables = Object.keys((props(consumer).Environment as { Variables: object }).Variables);
    expect(variables).toEqual(expect.arrayContaining(["WEBHOOK_QUEUE_URL", "WEBHOOK_QUEUE_ARN"]));
    expect(variables).not.toContain("DISPATCH_QUEUE_URL");
    // The subscriber queues first attempts there, and no longer on dispatch.
    const subscriber = functionsWithStatements(dev).find((fn) =>
      String(props(fn).Description).startsWith("Subscriber webhooks"),
    )!;
    const subscriberSends = subscriber.statements.filter((s) =>
      asArray(s.Action).includes("sqs:SendMessage"),
    );
    expect(subscriberSends.flatMap((s) => logicalIds(s.Resource, "Events", exported))).toEqual([
      webhookQueue,
    ]);
    const dispatchSends = byId(dev, "DispatchConsumer").statements.filter((s) =>
      asArray(s.Action).includes("sqs:SendMessage"),
    );
    expect(dispatchSends.flatMap((s) => logicalIds(s.Resource, "Messaging", exported))).not.toContain(
      webhookQueue,
    );
  });

  it("lets the API send only to this stage's queues, by name", () => {
    const api = byHandler(dev, "functions/api/lambda.handler");
    const sqs = api.statements.filter((statement) =>
      asArray(statement.Action).some(
        (action) => action.startsWith("sqs:") && action !== "sqs:GetQueueAttributes",
      ),
    );
    expect(sqs).toHaveLength(1);
    expect(asArray(sqs[0]?.Action).sort()).toEqual(["sqs:GetQueueUrl", "sqs:SendMessage"]);
    expect(JSON.stringify(sqs[0]?.Resource)).toMatch(/:sqs:eu-west-3:123456789012:dev-relais-\*"/);
  });

  it("never allows every action, and every resource only where AWS requires it", () => {
    for (const { where, type, statements } of allStatements(dev)) {
      for (const statement of statements) {
        expect(asArray(statement.Action), where).not.toContain("*");
        if (statement.Effect !== "Allow" || statement.Resource !== "*") continue;
        // A key policy always names "*" (its own key); ses:GetAccount has no resource type.
        const required = type === "AWS::KMS::Key" || statement.Action === "ses:GetAccount";
        expect(required, `${where} ${JSON.stringify(statement.Action)} on "*"`).toBe(true);
      }
    }
  });

  it("gives our functions no AWS managed policy", () => {
    for (const fn of functionsWithStatements(dev).filter((f) =>
      String(props(f).Handler).startsWith("functions/"),
    )) {
      expect(props(fn.role ?? { Type: "" }).ManagedPolicyArns, fn.id).toBeUndefined();
    }
  });

  it("sets only settings core/config.ts reads", () => {
    const platform = [
      "AWS_NODEJS_CONNECTION_REUSE_ENABLED",
      "NODE_OPTIONS",
      "POWERTOOLS_SERVICE_NAME",
      "POWERTOOLS_METRICS_NAMESPACE",
      "SST_APP",
      "SST_STAGE",
      "SST_SSM_PREFIX",
    ];
    const known = new Set<string>([...settingNames, ...platform]);
    for (const fn of functionsWithStatements(dev).filter((f) =>
      String(props(f).Handler).startsWith("functions/"),
    )) {
      const names = Object.keys((props(fn).Environment as { Variables: object }).Variables);
      expect(
        names.filter((name) => !known.has(name)),
        fn.id,
      ).toEqual([]);
    }
    const api = byHandler(dev, "functions/api/lambda.handler");
    expect(Object.keys((props(api).Environment as { Variables: object }).Variables)).toEqual(
      expect.arrayContaining([
        "TABLE_NAME",
        "DISPATCH_QUEUE_URL",
        "DISPATCH_QUEUE_ARN",
        "IMPORT_QUEUE_URL",
        "SMS_EVENTS_TOPIC_ARN",
        "SMS_INBOUND_TOPIC_ARN",
        "ATTACHMENTS_BUCKET",
        "VAULT_BUCKET",
        "SES_CONFIGURATION_SET",
        "MAIL_FROM",
        "SMS_CONFIGURATION_SET",
        "SCHEDULE_GROUP",
        "SCHEDULER_ROLE_ARN",
        "PUBLIC_URL",
        "STAGE",
      ]),
    );
  });
});

describe("resources", () => {
  it("runs every Lambda on nodejs22.x, ours on arm64", () => {
    const functions = allResources(dev).filter((r) => r.Type === "AWS::Lambda::Function");
    expect(functions.length).toBeGreaterThan(6);
    for (const fn of functions) expect(props(fn).Runtime, fn.logicalId).toBe("nodejs22.x");
    for (const fn of functions.filter((f) => String(props(f).Handler).startsWith("functions/"))) {
      expect(props(fn).Architectures, fn.logicalId).toEqual(["arm64"]);
    }
  });

  it("keeps the table recoverable and expiring items by TTL", () => {
    Assertions.fromJSON(stack(dev, "Storage").template).hasResourceProperties("AWS::DynamoDB::Table", {
      BillingMode: "PAY_PER_REQUEST",
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
    });
  });

  it("retains and protects the table and data buckets on prod", () => {
    const storage = Assertions.fromJSON(stack(prodStorage, "Storage").template);
    storage.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    for (const [id, bucket] of ofType(prodStorage, "Storage", "AWS::S3::Bucket")) {
      expect(bucket.DeletionPolicy, id).toBe("Retain");
    }
  });

  it("blocks public access and refuses plain HTTP on every bucket", () => {
    const buckets = allResources(dev).filter((r) => r.Type === "AWS::S3::Bucket");
    const policies = allResources(dev).filter((r) => r.Type === "AWS::S3::BucketPolicy");
    expect(buckets.length).toBe(4);
    for (const bucket of buckets) {
      expect(props(bucket).PublicAccessBlockConfiguration, bucket.logicalId).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      const policy = policies.find((p) =>
        logicalIds(props(p).Bucket, p.stack, new Map()).includes(`${bucket.stack}/${bucket.logicalId}`),
      );
      const statements = (
        props(policy ?? { Type: "" }).PolicyDocument as { Statement: Statement[] } | undefined
      )?.Statement;
      expect(statements, bucket.logicalId).toContainEqual(
        expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      );
    }
  });

  it("expires temporary uploads after a day and versions the vault", () => {
    const storage = Assertions.fromJSON(stack(dev, "Storage").template);
    const tmpRule = Match.arrayWith([Match.objectLike({ Prefix: "tmp/", ExpirationInDays: 1 })]);
    storage.resourcePropertiesCountIs(
      "AWS::S3::Bucket",
      { LifecycleConfiguration: { Rules: tmpRule }, CorsConfiguration: Match.anyValue() },
      2,
    );
    storage.hasResourceProperties("AWS::S3::Bucket", {
      VersioningConfiguration: { Status: "Enabled" },
      LifecycleConfiguration: { Rules: tmpRule },
    });
  });

  it("reports every SMS and email event to its topic", () => {
    const messaging = Assertions.fromJSON(stack(dev, "Messaging").template);
    messaging.hasResourceProperties("AWS::SMSVOICE::ConfigurationSet", {
      EventDestinations: [
        Match.objectLike({ MatchingEventTypes: ["TEXT_ALL"], SnsDestination: Match.anyValue() }),
      ],
    });
    messaging.hasResourceProperties("AWS::SES::ConfigurationSetEventDestination", {
      EventDestination: Match.objectLike({
        MatchingEventTypes: ["send", "delivery", "bounce", "complaint", "reject", "deliveryDelay"],
      }),
    });
  });
});

describe("email replies", () => {
  it("stores replies to the mail domain in S3 under inbound-email/ and notifies their topic", () => {
    const messaging = Assertions.fromJSON(stack(dev, "Messaging").template);
    messaging.hasResourceProperties("AWS::SES::ReceiptRule", {
      Rule: Match.objectLike({
        Enabled: true,
        ScanEnabled: true,
        TlsPolicy: "Require",
        Actions: [
          {
            S3Action: Match.objectLike({ ObjectKeyPrefix: "inbound-email/", TopicArn: Match.anyValue() }),
          },
        ],
      }),
    });
  });

  it("lets the inbound consumer read and delete only the stored emails", () => {
    const consumer = byHandler(dev, "functions/events/email-inbound.handler");
    const s3 = consumer.statements.filter((statement) =>
      [statement.Action].flat().some((action) => String(action).startsWith("s3:")),
    );
    expect(s3).toHaveLength(1);
    expect([s3[0]?.Action].flat().sort()).toEqual(["s3:DeleteObject", "s3:GetObject"]);
    expect(JSON.stringify(s3[0]?.Resource)).toContain("/inbound-email/*");
  });
});

describe("events", () => {
  const events = () => Assertions.fromJSON(stack(dev, "Events").template);
  const tableId = () => `Storage/${ofType(dev, "Storage", "AWS::DynamoDB::Table")[0]?.[0]}`;

  it("streams the table's new images", () => {
    Assertions.fromJSON(stack(dev, "Storage").template).hasResourceProperties("AWS::DynamoDB::Table", {
      StreamSpecification: { StreamViewType: "NEW_IMAGE" },
    });
  });

  it("feeds the publisher the outbox INSERTs only, bisecting and retrying, failures to a DLQ", () => {
    const exported = exportsOf(dev);
    const [, mapping] =
      ofType(dev, "Events", "AWS::Lambda::EventSourceMapping").find(([id]) =>
        id.startsWith("EventsPublisher"),
      ) ?? [];
    const p = props(mapping ?? { Type: "" });
    expect(logicalIds(p.EventSourceArn, "Events", exported)).toEqual([tableId()]);
    expect(JSON.stringify(p.EventSourceArn)).toContain("StreamArn");
    expect(p).toMatchObject({
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      StartingPosition: "TRIM_HORIZON",
    });
    const patterns = (p.FilterCriteria as { Filters: Array<{ Pattern: string }> }).Filters.map((f) =>
      JSON.parse(f.Pattern),
    );
    expect(patterns).toEqual([
      { eventName: ["INSERT"], dynamodb: { NewImage: { __edb_e__: { S: ["outbox"] } } } },
    ]);
    const failures = ofType(dev, "Events", "AWS::SQS::Queue").find(
      ([, q]) => props(q).QueueName === "dev-relais-events-publish-dlq",
    )?.[0];
    expect(
      logicalIds(
        (p.DestinationConfig as { OnFailure: { Destination: Json } }).OnFailure.Destination,
        "Events",
        exported,
      ),
    ).toEqual([`Events/${failures}`]);
  });

  it("lets the publisher publish to the events topic only, and read the stream only", () => {
    const exported = exportsOf(dev);
    const publisher = byHandler(dev, "functions/events/publish.handler");
    const topic = ofType(dev, "Events", "AWS::SNS::Topic")[0]?.[0];
    const actions = publisher.statements.flatMap((s) => asArray(s.Action));
    expect(actions.filter((a) => a.startsWith("sns:"))).toEqual(["sns:Publish"]);
    const publish = publisher.statements.find((s) => asArray(s.Action).includes("sns:Publish"))!;
    expect(logicalIds(publish.Resource, "Events", exported)).toEqual([`Events/${topic}`]);
    const dynamo = publisher.statements.filter((s) =>
      asArray(s.Action).some((a) => a.startsWith("dynamodb:")),
    );
    expect(dynamo.flatMap((s) => asArray(s.Action)).sort()).toEqual([
      "dynamodb:DescribeStream",
      "dynamodb:GetRecords",
      "dynamodb:GetShardIterator",
      "dynamodb:ListStreams",
    ]);
    for (const statement of dynamo) expect(JSON.stringify(statement.Resource)).toContain("StreamArn");
  });

  it("encrypts the events topic", () => {
    events().hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: Match.anyValue() });
  });

  it("gives every subscriber of the registry a filtered raw queue, a consumer and a DLQ drained into the console", () => {
    const exported = exportsOf(dev);
    const queues = ofType(dev, "Events", "AWS::SQS::Queue");
    const subscriptions = ofType(dev, "Events", "AWS::SNS::Subscription").map(([, r]) => props(r));
    const mappings = ofType(dev, "Events", "AWS::Lambda::EventSourceMapping").map(([, m]) => props(m));
    for (const subscriber of subscribers) {
      const name = `dev-relais-${eventQueueName(subscriber)}`;
      const [queueId] = queues.find(([, q]) => props(q).QueueName === name) ?? [];
      const [dlqId, dlq] = queues.find(([, q]) => props(q).QueueName === `${name}-dlq`) ?? [];
      expect(queueId, name).toBeDefined();
      expect(sourceQueueOf(`arn:aws:sqs:eu-west-3:123456789012:${String(props(dlq!).QueueName)}`)).toBe(name);
      const subscription = subscriptions.find((s) =>
        logicalIds(s.Endpoint, "Events", exported).includes(`Events/${queueId}`),
      );
      expect(subscription, name).toMatchObject({
        RawMessageDelivery: true,
        FilterPolicy: { name: subscriber.events.map((event) => event.name) },
      });
      const consumers = (queue: string) =>
        mappings
          .filter((m) => logicalIds(m.EventSourceArn, "Events", exported).includes(`Events/${queue}`))
          .map((m) => {
            expect(m.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
            const [fn] = logicalIds(m.FunctionName, "Events", exported);
            return props(allResources(dev).find((r) => `${r.stack}/${r.logicalId}` === fn)!).Handler;
          });
      expect(consumers(queueId!)).toEqual(["functions/subscribers/consume.handler"]);
      expect(consumers(dlqId!)).toEqual(["functions/events/dead-letters.handler"]);
    }
  });
});

describe("cdk-nag", () => {
  it("reports no unsuppressed error", () => {
    expect(dev.findings.filter((finding) => finding.level === "error")).toEqual([]);
    expect(prodStorage.findings.filter((finding) => finding.level === "error")).toEqual([]);
  });
});
