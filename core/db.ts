import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
  BatchExecuteStatementCommand,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  ScanCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { config } from "./config";
import { documents, dynamo } from "./platform/clients/dynamo";

/** What every ElectroDB entity and service is constructed with: the shared document client. */
export const entityConfig = () => ({ client: documents() });

/**
 * An object built on first use: `lazy(() => new Entity(…))` or `lazy(() => new Service(…))` stands for
 * what `build` returns, with its exact type, but builds it when a property is first read. ElectroDB
 * validates each model (jsonschema) as the entity is constructed: built at module load, every entity a
 * handler's imports reach cost its cold start, used or not. Methods are bound to the built object, so
 * ElectroDB works on the object itself, never through the proxy.
 */
export function lazy<T extends object>(build: () => T): T {
  let built: T | undefined;
  const real = (): T => {
    built ??= build();
    return built;
  };
  const bound = new WeakMap<object, unknown>();
  return new Proxy({} as T, {
    get(_, key) {
      const target = real();
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      let method = bound.get(value);
      if (!method) {
        method = value.bind(target);
        bound.set(value, method);
      }
      return method;
    },
    set: (_, key, value) => Reflect.set(real(), key, value),
    has: (_, key) => Reflect.has(real(), key),
    deleteProperty: (_, key) => Reflect.deleteProperty(real(), key),
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(real(), key, descriptor),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor(_, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      // The proxy's own target is an empty object: a property it lacks may not be reported non-configurable.
      return descriptor && { ...descriptor, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}

/**
 * An entity built on first use (`lazy`), whose table name is read at each call: tests and the local runner
 * set TABLE_NAME after modules load, and some importers (the stack tests reading the API's routes) never
 * set it.
 */
export function onTable<E extends object>(build: () => E): E {
  return lazy(() => {
    const entity = build();
    const target = (entity as unknown as { config: object }).config;
    Object.defineProperty(target, "table", {
      get: () => config("TABLE_NAME"),
      configurable: true,
      enumerable: true,
    });
    return entity;
  });
}

export async function probe() {
  const result = await dynamo().send(new DescribeTableCommand({ TableName: config("TABLE_NAME") }));
  return { status: result.Table?.TableStatus ?? "UNKNOWN", items: result.Table?.ItemCount ?? 0 };
}

/**
 * A write refused by its condition: ElectroDB wraps DynamoDB's ConditionalCheckFailedException, and a
 * cancelled transaction (ours from `transact`, or the SDK's TransactionCanceledException) names it among
 * its reasons. Callers turn it into a business error; anything else (throttling, an outage) is rethrown.
 */
export function isConditionalFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof TransactionCanceled) {
      return current.reasons.some((reason) => reason.code === "ConditionalCheckFailed");
    }
    if (current instanceof Error && current.name === "TransactionCanceledException") {
      const reasons = (current as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
      return (reasons ?? []).some((reason) => reason.Code === "ConditionalCheckFailed");
    }
    if (current instanceof Error && current.name === "ConditionalCheckFailedException") return true;
    if (current instanceof Error && /conditional request failed/i.test(current.message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** ElectroDB reports a cancelled transaction in its result instead of throwing: make it throw. */
export class TransactionCanceled extends Error {
  constructor(readonly reasons: Array<{ code: string }>) {
    super(`TransactionCanceled: ${reasons.map((reason) => reason.code).join(", ")}`);
    this.name = "TransactionCanceled";
  }
}

export async function transact(
  run: Promise<{ canceled: boolean; data: Array<{ rejected: boolean; code: string }> }>,
) {
  const result = await run;
  if (result.canceled) throw new TransactionCanceled(result.data.filter((item) => item.rejected));
  return result;
}

/** One write of a TransactWriteItems, as ElectroDB's `.commit()` builds it (`{ Put }`, `{ Update }`…). */
export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/**
 * ElectroDB's `.params()` of a write as one operation of `transactWrite`: `write.put(Entity.create(…)
 * .params())`, `write.update(Entity.patch(…).set(…).where(…).params())`, `write.remove(…)`. (ElectroDB's
 * own `.commit()` is typed for `Service.transaction` only, which joins the entities of one service.)
 */
export const write = {
  put: (params: object) => ({ Put: operation(params) }) as TransactItem,
  update: (params: object) => ({ Update: operation(params) }) as TransactItem,
  remove: (params: object) => ({ Delete: operation(params) }) as TransactItem,
};

/** A transaction's operations return nothing but, on a refused condition, the item. */
function operation(params: object) {
  const { ReturnValues: _ignored, ...rest } = params as Record<string, unknown>;
  return rest;
}

/**
 * Writes items of any entities in one TransactWriteItems (up to 100): all or none. It carries an outbox
 * item with the change it records (core/event.ts). A refused condition throws `TransactionCanceled`.
 */
export async function transactWrite(items: TransactItem[]) {
  if (items.length === 0) return;
  try {
    await documents().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
    if (error instanceof Error && error.name === "TransactionCanceledException" && reasons)
      throw new TransactionCanceled(reasons.map((reason) => ({ code: reason.Code ?? "None" })));
    throw error;
  }
}

/**
 * Adds 1 to `counter` of the item at `key` and returns the item after, in one conditional UpdateItem;
 * undefined when `condition` refuses. For checks that must be counted before they are made (a signed
 * link's uses, a sign-in code's tries): concurrent attempts cannot all pass the limit. `set` writes
 * more attributes in the same update.
 */
export async function countIf<T>(
  key: Record<string, unknown>,
  counter: string,
  condition: { expression: string; names: Record<string, string>; values: Record<string, unknown> },
  set: Record<string, unknown> = {},
): Promise<T | undefined> {
  const assignments = Object.keys(set).map((name, index) => [`#set${index}`, `:set${index}`, name] as const);
  try {
    const result = await documents().send(
      new UpdateCommand({
        TableName: config("TABLE_NAME"),
        Key: key,
        UpdateExpression: [
          "ADD #counted :one",
          assignments.length > 0
            ? `SET ${assignments.map(([name, value]) => `${name} = ${value}`).join(", ")}`
            : "",
        ]
          .filter(Boolean)
          .join(" "),
        ConditionExpression: condition.expression,
        ExpressionAttributeNames: {
          ...condition.names,
          "#counted": counter,
          ...Object.fromEntries(assignments.map(([name, , attribute]) => [name, attribute])),
        },
        ExpressionAttributeValues: {
          ...condition.values,
          ":one": 1,
          ...Object.fromEntries(assignments.map(([, value, attribute]) => [value, set[attribute]])),
        },
        ReturnValues: "ALL_NEW",
      }),
    );
    return result.Attributes as T | undefined;
  } catch (error) {
    if (isConditionalFailure(error)) return undefined;
    throw error;
  }
}

/** An UpdateItem as ElectroDB builds it (`entity.patch(key).set(…).where(…).params()`): SET and a condition. */
export type UpdateParams = Pick<
  UpdateCommandInput,
  "TableName" | "Key" | "UpdateExpression" | "ConditionExpression" | "ExpressionAttributeNames"
> & { ExpressionAttributeValues?: Record<string, unknown> };

/**
 * ElectroDB's patch writes the item's identity again on every update — the attributes its key is made of
 * and `__edb_e__`/`__edb_v__` — under its condition that the item exists (`attribute_exists(pk) AND
 * attribute_exists(sk)`). The item was written with them and its key encodes them, so they cannot differ:
 * `leanUpdate` leaves them out and the write carries only what changes (for a hot path such as the send's
 * record, five assignments of twelve less for DynamoDB to apply). Anything else is kept as is.
 */
export function leanUpdate(update: UpdateParams, identity: readonly string[]): UpdateParams {
  const names = { ...update.ExpressionAttributeNames };
  const values = { ...update.ExpressionAttributeValues };
  const condition = update.ConditionExpression ?? "";
  const set = update.UpdateExpression?.match(/^\s*SET\s+(.*)$/s)?.[1];
  if (!set || !/attribute_exists\(#pk\) AND attribute_exists\(#sk\)/.test(condition)) return update;
  const dropped = new Set([...identity, "__edb_e__", "__edb_v__"]);
  const kept = set.split(/,\s*/).filter((assignment) => {
    const [name, value] = assignment.split(/\s*=\s*/);
    if (!name || !value || !/^:\w+$/.test(value) || !dropped.has(names[name] ?? "")) return true;
    delete values[value];
    if (!condition.includes(name)) delete names[name];
    return false;
  });
  return {
    ...update,
    UpdateExpression: `SET ${kept.join(", ")}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * Runs conditional updates in BatchExecuteStatement calls of 25 PartiQL statements: each statement keeps
 * its own condition and is written or refused on its own (unlike a transaction), and 25 writes cost one
 * round trip. Returns, per update and in order, whether it was written (false: its condition refused
 * it). A statement failing for another reason (throttled, conflict) is retried as a plain UpdateItem.
 */
export async function updateEach(updates: UpdateParams[]): Promise<boolean[]> {
  const written: boolean[] = [];
  for (const chunk of statementBatches(updates)) {
    const { Responses = [] } = await documents().send(
      new BatchExecuteStatementCommand({ Statements: chunk.map(toStatement) }),
    );
    for (const [index, update] of chunk.entries()) {
      const code = Responses[index]?.Error?.Code;
      if (!code) written.push(true);
      else if (code === "ConditionalCheckFailed") written.push(false);
      else written.push(await updateOne(update));
    }
  }
  return written;
}

/**
 * Batches of up to 25 in order; a batch may not name one item twice (DynamoDB refuses it), so a second
 * update of an item starts the next batch and still runs after the first.
 */
function statementBatches(updates: UpdateParams[]) {
  const batches: UpdateParams[][] = [];
  let batch: UpdateParams[] = [];
  let keys = new Set<string>();
  for (const update of updates) {
    const key = JSON.stringify(update.Key);
    if (batch.length === 25 || keys.has(key)) {
      batches.push(batch);
      batch = [];
      keys = new Set();
    }
    batch.push(update);
    keys.add(key);
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

async function updateOne(update: UpdateParams) {
  try {
    await documents().send(new UpdateCommand(update as UpdateCommandInput));
    return true;
  } catch (error) {
    if (isConditionalFailure(error)) return false;
    throw error;
  }
}

/** `SET #a = :a, …` with `#name`/`:value` placeholders → `UPDATE "t" SET "a" = ? … WHERE <key> AND (<condition>)`. */
function toStatement(update: UpdateParams) {
  const names = update.ExpressionAttributeNames ?? {};
  const values = update.ExpressionAttributeValues ?? {};
  const parameters: unknown[] = [];
  const placeholders = (expression: string) =>
    expression
      .replace(/attribute_not_exists\((#\w+)\)/g, "$1 IS MISSING")
      .replace(/attribute_exists\((#\w+)\)/g, "$1 IS NOT MISSING")
      .replace(/[#:]\w+/g, (token) => {
        if (token.startsWith("#")) return quote(names[token] ?? token.slice(1));
        if (!(token in values)) throw new Error(`updateEach: no value for ${token}`);
        parameters.push(values[token]);
        return "?";
      });
  const set = update.UpdateExpression?.match(/^\s*SET\s+(.*)$/s)?.[1];
  if (!set || /\b(ADD|REMOVE|DELETE)\b/.test(set) || /\w+\(/.test(set))
    throw new Error(`updateEach supports plain SET updates only: ${update.UpdateExpression}`);
  const assignments = set.split(/,\s*/).map((assignment) => `SET ${placeholders(assignment)}`);
  const key = Object.entries(update.Key ?? {}).map(([name, value]) => {
    parameters.push(value);
    return `${quote(name)} = ?`;
  });
  const condition = update.ConditionExpression ? ` AND (${placeholders(update.ConditionExpression)})` : "";
  return {
    Statement: `UPDATE ${quote(update.TableName ?? "")} ${assignments.join(" ")} WHERE ${key.join(" AND ")}${condition}`,
    Parameters: parameters,
  };
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Group commit of conditional updates: an update waits at most for the batches being written, then goes
 * with every other update queued meanwhile in one `updateEach`. Idle, it is written at once; under load,
 * concurrent senders share round trips instead of queueing one UpdateItem each.
 */
export class UpdateBatcher {
  private queued: Array<{
    update: UpdateParams;
    done: (written: boolean) => void;
    fail: (error: unknown) => void;
  }> = [];
  private writers = 0;

  /** `maxWriters`: batches in flight at once. */
  constructor(private readonly maxWriters = 4) {}

  /** True when written, false when its condition refused it. */
  update(update: UpdateParams): Promise<boolean> {
    return new Promise((done, fail) => {
      this.queued.push({ update, done, fail });
      if (this.writers < this.maxWriters) void this.drain();
    });
  }

  private async drain() {
    this.writers++;
    while (this.queued.length > 0) {
      const batch = this.queued.splice(0, 25);
      try {
        const written = await updateEach(batch.map((entry) => entry.update));
        for (const [index, entry] of batch.entries()) entry.done(written[index]!);
      } catch (error) {
        for (const entry of batch) entry.fail(error);
      }
    }
    this.writers--;
  }
}

type Item = Record<string, unknown>;
const keyOf = (item: Item) => `${String(item.pk)}\u0000${String(item.sk)}`;
type Group = { remaining: number; resolve: () => void; reject: (error: unknown) => void; failed: boolean };
type Entry = { item: Item; group: Group; attempt: number; remove?: boolean };

/**
 * Puts raw items (already in the table's shape) with BatchWriteItem: 25 a request, at most `concurrency`
 * requests in flight whoever submitted the items, unprocessed items sent again with backoff. A hot write
 * path (an import) shares one writer, so requests stay full and the table sees a steady pipeline instead
 * of each caller's little batches one after another. A request is sent with fewer than 25 items only when
 * nothing else is in flight, so a lull never leaves the pipe idle.
 */
export class BatchWriter {
  private readonly queue: Array<Entry> = [];
  private inflight = 0;

  constructor(
    private readonly concurrency: number,
    private readonly options: {
      maxAttempts?: number;
      backoffMs?: number;
      /** The request itself; tests replay DynamoDB's unprocessed items, which DynamoDB Local never returns. */
      write?: (input: BatchWriteCommandInput) => Promise<Pick<BatchWriteCommandOutput, "UnprocessedItems">>;
    } = {},
  ) {}

  /** Items waiting for a request. */
  get backlog() {
    return this.queue.length;
  }

  /** Resolves once every item is written; rejects if any cannot be. */
  put(items: Item[]): Promise<void> {
    return this.enqueue(items, false);
  }

  /** Deletes items by key (`{ pk, sk }`), in the same requests as the puts around them. */
  remove(keys: Item[]): Promise<void> {
    return this.enqueue(keys, true);
  }

  private enqueue(items: Item[], remove: boolean): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const group: Group = { remaining: items.length, resolve, reject, failed: false };
      for (const item of items) this.queue.push({ item, group, attempt: 0, remove });
      this.pump();
    });
  }

  private pump() {
    while (this.inflight < this.concurrency && this.queue.length > 0) {
      if (this.queue.length < 25 && this.inflight > 0) return;
      this.send(this.queue.splice(0, this.batchLength()));
    }
  }

  /** Up to 25 items, stopping before a key already in the request (DynamoDB refuses such a request). */
  private batchLength() {
    const keys = new Set<string>();
    let length = 0;
    for (; length < Math.min(25, this.queue.length); length++) {
      const key = keyOf(this.queue[length]!.item);
      if (keys.has(key)) break;
      keys.add(key);
    }
    return length;
  }

  private send(batch: Array<Entry>) {
    this.inflight++;
    const table = config("TABLE_NAME");
    const request = {
      [table]: batch.map(({ item, remove }) =>
        remove ? { DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } } : { PutRequest: { Item: item } },
      ),
    };
    const write = this.options.write ?? ((input) => documents().send(new BatchWriteCommand(input)));
    write({ RequestItems: request })
      .then(
        (result) => {
          // The client hands unprocessed items back as new objects: they are recognised by their key.
          const unprocessed = new Set(
            (result.UnprocessedItems?.[table] ?? []).map((entry) =>
              keyOf(entry.PutRequest?.Item ?? entry.DeleteRequest?.Key ?? {}),
            ),
          );
          const left = batch.filter(({ item }) => unprocessed.has(keyOf(item)));
          for (const entry of batch) if (!unprocessed.has(keyOf(entry.item))) this.written(entry.group);
          this.retry(left);
        },
        (error: unknown) => {
          for (const { group } of batch) this.fail(group, error);
        },
      )
      .finally(() => {
        this.inflight--;
        this.pump();
      });
  }

  private retry(left: Array<Entry>) {
    if (left.length === 0) return;
    const attempt = left[0]!.attempt + 1;
    if (attempt >= (this.options.maxAttempts ?? 8)) {
      const error = new Error(`${left.length} item(s) not written after ${attempt} attempts`);
      for (const { group } of left) this.fail(group, error);
      return;
    }
    const delay = (this.options.backoffMs ?? 25) * 2 ** attempt;
    this.inflight++; // The retry holds its slot while it waits, so the pipe slows down under throttling.
    setTimeout(() => {
      this.inflight--;
      this.queue.unshift(...left.map((entry) => ({ ...entry, attempt })));
      this.pump();
    }, delay);
  }

  private written(group: Group) {
    if (group.failed) return;
    group.remaining--;
    if (group.remaining === 0) group.resolve();
  }

  private fail(group: Group, error: unknown) {
    if (group.failed) return;
    group.failed = true;
    group.reject(error);
  }
}

/**
 * One page of a Scan for every item of a company, keys and entity name only: a closed company's erasure
 * (core/operator/erasure.ts), the one reader no index serves, and the only function granted Scan.
 */
export async function scanCompany(companyId: string, cursor?: Record<string, unknown>) {
  const page = await documents().send(
    new ScanCommand({
      TableName: config("TABLE_NAME"),
      FilterExpression: "companyId = :company",
      ExpressionAttributeValues: { ":company": companyId },
      ProjectionExpression: "pk, sk, #entity",
      ExpressionAttributeNames: { "#entity": "__edb_e__" },
      ExclusiveStartKey: cursor,
    }),
  );
  return {
    items: (page.Items ?? []).map((item) => ({ pk: item.pk, sk: item.sk, entity: String(item.__edb_e__) })),
    cursor: page.LastEvaluatedKey,
  };
}
