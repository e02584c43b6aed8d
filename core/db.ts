import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { config } from "./config";
import { documents, dynamo } from "./platform/clients";

/** What every ElectroDB entity and service is constructed with: the shared document client. */
export const entityConfig = () => ({ client: documents() });

/**
 * Entities are built when their module loads, before tests or the local runner have set TABLE_NAME, and
 * some importers (the stack tests reading the API's routes) never set it: read the name at each call.
 */
export function onTable<E>(entity: E): E {
  const target = (entity as unknown as { config: object }).config;
  Object.defineProperty(target, "table", {
    get: () => config("TABLE_NAME"),
    configurable: true,
    enumerable: true,
  });
  return entity;
}

export async function probe() {
  const result = await dynamo().send(new DescribeTableCommand({ TableName: config("TABLE_NAME") }));
  return { status: result.Table?.TableStatus ?? "UNKNOWN", items: result.Table?.ItemCount ?? 0 };
}

/**
 * A write refused by its condition: ElectroDB wraps DynamoDB's ConditionalCheckFailedException, and a
 * cancelled transaction (see `transact`) names it among its reasons. Callers turn it into a business error.
 */
export function isConditionalFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof TransactionCanceled) {
      return current.reasons.some((reason) => reason.code === "ConditionalCheckFailed");
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

type Item = Record<string, unknown>;
const keyOf = (item: Item) => `${String(item.pk)}\u0000${String(item.sk)}`;
type Group = { remaining: number; resolve: () => void; reject: (error: unknown) => void; failed: boolean };

/**
 * Puts raw items (already in the table's shape) with BatchWriteItem: 25 a request, at most `concurrency`
 * requests in flight whoever submitted the items, unprocessed items sent again with backoff. A hot write
 * path (an import) shares one writer, so requests stay full and the table sees a steady pipeline instead
 * of each caller's little batches one after another. A request is sent with fewer than 25 items only when
 * nothing else is in flight, so a lull never leaves the pipe idle.
 */
export class BatchWriter {
  private readonly queue: Array<{ item: Item; group: Group; attempt: number }> = [];
  private inflight = 0;

  constructor(
    private readonly concurrency: number,
    private readonly options: { maxAttempts?: number; backoffMs?: number } = {},
  ) {}

  /** Items waiting for a request. */
  get backlog() {
    return this.queue.length;
  }

  /** Resolves once every item is written; rejects if any cannot be. */
  put(items: Item[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const group: Group = { remaining: items.length, resolve, reject, failed: false };
      for (const item of items) this.queue.push({ item, group, attempt: 0 });
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

  private send(batch: Array<{ item: Item; group: Group; attempt: number }>) {
    this.inflight++;
    const table = config("TABLE_NAME");
    const request = { [table]: batch.map(({ item }) => ({ PutRequest: { Item: item } })) };
    documents()
      .send(new BatchWriteCommand({ RequestItems: request }))
      .then(
        (result) => {
          // The client hands unprocessed items back as new objects: they are recognised by their key.
          const unprocessed = new Set(
            (result.UnprocessedItems?.[table] ?? []).map((entry) => keyOf(entry.PutRequest?.Item ?? {})),
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

  private retry(left: Array<{ item: Item; group: Group; attempt: number }>) {
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
