import { ulid } from "ulid";
import * as z from "zod";
import { type Role, withActor } from "../actor";
import { Audit } from "../audit";
import { CompanyEntity } from "../company/company.entity";
import { Contact } from "../contact";
import { BatchWriter, isConditionalFailure, type TransactItem, transactWrite, write } from "../db";
import { VisibleError } from "../error";
import { define, enqueue as enqueueJob } from "../job";
import * as Metrics from "../platform/metrics";
import type { Spreadsheet } from "../spreadsheet";
import { Usage } from "../usage";
import { UserEntity } from "../user/user.entity";
import { type Field, type Mapping, plan } from "./columns";
import { ContactImportEntity, ContactImportLockEntity, ContactImportService } from "./contact-import.entity";
import * as Report from "./report";
import { checkedRows, originalLines, reportKey } from "./source";
import { columnOf, type LineError, type Pending } from "./validate";

/**
 * The background half of an import: one SQS message per import (and per continuation).
 *
 * State machine (status on the import item):
 *   queued ──claim──▶ running ──▶ done | failed
 *                       │  ▲
 *                       └──┘ lease expired (crash), time budget spent, transient error: claimed again
 *
 * Claiming is a conditional transition (`queued`, or `running` with an expired lease seen unchanged since
 * it was read) done in one transaction with the company's import lock, so two deliveries of the same
 * message never both work, and two imports of one company never write contacts at the same time. The
 * claim writes a new `runId`, the holder's token: every later write of the import item (progress, lease,
 * final status) is conditional on it, so a holder whose lease was taken over writes nothing more there.
 * The holder renews its lease with every progress write (about once a second). Contacts cannot be written
 * conditionally, so before writing a chunk (and before the report and the list at the end) a holder whose
 * lease is half spent by its own clock renews it first, and stops if that is refused: a stalled worker
 * that wakes up after a takeover writes no more contacts (only requests already sent may still land).
 *
 * What survives a crash is the `checkpoint`: the last line up to which every row is written, stored with
 * the counters for exactly those rows. A resumed run reads the file again from the top (re-validating is
 * cheap and rebuilds the in-file duplicate index and the error list), skips the rows up to the checkpoint
 * and goes on from there. Counters are set, never incremented, so nothing is counted twice. Rows past the
 * checkpoint may have been written already, by a worker that died, failed or lost its lease before they
 * counted: each contact an import writes is stamped with the import and line (`importedBy`), so that line
 * written again counts as it did the first time (`created`, `updated`), not as `unchanged`, and is written
 * whole again in case the first write stopped half-way.
 */
export const Job = z.object({
  kind: z.literal("contacts"),
  companyId: z.string().min(1).max(64),
  importId: z.string().min(1).max(64),
});
export type Job = z.infer<typeof Job>;

/** The import queue's job: runs (or resumes) one import until done or out of time. */
export const ImportContacts = define({
  kind: "contacts",
  queue: "import",
  schema: Job,
  run: (job, { timeLeft }) => run(job, { timeLeft }),
});

export type RunOptions = {
  /** Milliseconds before the runtime stops us (Lambda's getRemainingTimeInMillis). */
  timeLeft?: () => number;
  /** Valid rows per Contact.upsertBatch call. */
  chunkSize?: number;
  /** BatchWriteItem requests in flight, shared by all chunks. Rows of different chunks never share a number
   * or email (in-file duplicates are refused), so chunks are independent: while some are written, the
   * next ones are read and looked up. */
  concurrency?: number;
  /** Epoch milliseconds for leases (Date.now): tests give two runners of one import different times. */
  clock?: () => number;
  /** Tests: awaited once a chunk's rows are written, before they count as committed. */
  written?: (lastLine: number) => Promise<void>;
};

export type Outcome =
  | { result: "done" | "failed"; importId: string }
  /** Out of time: committed, released, and a new message carries on. */
  | { result: "continued"; importId: string; checkpoint: number }
  /** Another import of the company holds the lock: asked again in a few seconds. */
  | { result: "busy"; importId: string }
  /** Transient trouble: committed what could be, asked again later. */
  | { result: "retrying"; importId: string; error: unknown }
  /** Finished already, unknown, or held by a live worker: nothing to do (a redelivery). */
  | { result: "ignored"; importId: string; reason: string }
  /** Another worker took the lease over; it carries on. */
  | { result: "lost"; importId: string };

export const defaults = { chunkSize: 250, concurrency: 4 };
/** Chunks read and looked up while `concurrency` requests write earlier ones: one is enough to keep the
 * pipeline full, and each more keeps ~750 items alive a while longer (the worker holds < 200 MB). */
const lookAhead = 1;
const leaseMs = 60_000;
const lockLeaseMs = 120_000;
const heartbeatMs = 1_000;
const lockRenewMs = 20_000;
/** Stop starting chunks when the runtime has less than this left: enough to commit, write the report and enqueue. */
const stopMarginMs = 20_000;
const busyDelaySeconds = 10;
const maxFailures = 5;
const maxKeptConflicts = 500;

type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof ContactImportEntity.get>["go"]>>["data"]>;
type StartedBy = { userId: string; name: string; role: Role; agencyIds: string[] };
type Counts = {
  rowsDone: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  errors: number;
};

class LeaseLost extends Error {
  constructor() {
    super("Another worker holds this import now");
    this.name = "LeaseLost";
  }
}

const enqueue = (job: Job, delaySeconds?: number) => enqueueJob(job, { delaySeconds });

/** Runs (or resumes) an import job. Safe to call any number of times with the same job. */
export async function run(job: Job, options: RunOptions = {}): Promise<Outcome> {
  const { companyId, importId } = job;
  const found = await ContactImportEntity.get({ companyId, importId }).go({ consistent: true });
  const row = found.data;
  const ignored = (reason: string): Outcome => ({ result: "ignored", importId, reason });
  if (!row) return ignored("unknown import");
  if (row.status === "done" || row.status === "failed") return ignored(`already ${row.status}`);
  if (row.status !== "queued" && row.status !== "running") return ignored(`not started (${row.status})`);
  const clock = options.clock ?? Date.now;
  const now = clock();
  if (row.status === "running" && (row.leaseUntil ?? 0) > now) return ignored("held by a live worker");

  const runId = ulid();
  const claimed = await claim(row, runId, now);
  if (claimed === "taken") return ignored("claimed by another worker");
  if (claimed === "busy") {
    await enqueue(job, busyDelaySeconds);
    return { result: "busy", importId };
  }
  const starter = row.startedBy as StartedBy;
  return withActor({ type: "user", companyId, ...starter }, () =>
    new Runner(job, row, runId, now, { ...options, clock }).execute(),
  );
}

async function claim(row: Row, runId: string, now: number): Promise<"claimed" | "taken" | "busy"> {
  const { companyId, importId } = row;
  const result = await ContactImportService.transaction
    .write(({ contactImport, contactImportLock }) => [
      contactImport
        .patch({ companyId, importId })
        .set({
          status: "running",
          runId,
          leaseUntil: now + leaseMs,
          ...(row.status === "queued" ? { startedAt: new Date(now).toISOString() } : {}),
        })
        .add({ runs: 1 })
        .where((attributes, { eq }) =>
          row.status === "queued"
            ? eq(attributes.status, "queued")
            : // Unchanged since read: an expired holder that still wrote meanwhile makes the claim fail.
              `${eq(attributes.status, "running")} AND ${eq(attributes.leaseUntil, row.leaseUntil ?? 0)}`,
        )
        .commit(),
      contactImportLock
        .put({ companyId, importId, leaseUntil: now + lockLeaseMs })
        .where(
          (attributes, { eq, lt, notExists }) =>
            `${notExists(attributes.importId)} OR ${eq(attributes.importId, importId)} OR ${lt(attributes.leaseUntil, now)}`,
        )
        .commit(),
    ])
    .go();
  if (!result.canceled) return "claimed";
  return result.data[0]?.rejected ? "taken" : "busy";
}

type Chunk = {
  /** Rows up to this line are in this chunk or an earlier one. */
  lastLine: number;
  rows: Array<{ index: number; value: Contact.Normalized }>;
  listFields: Map<number, Record<string, string>>;
  replay: boolean;
  done: boolean;
  counts: Counts;
  conflicts: LineError[];
};

const zero = (): Counts => ({ rowsDone: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, errors: 0 });

class Runner {
  private readonly key: { companyId: string; importId: string };
  private readonly chunkSize: number;
  private readonly concurrency: number;
  private readonly timeLeft: () => number;
  private readonly clock: () => number;
  private readonly written: (lastLine: number) => Promise<void>;
  private readonly agencyIds: string[];
  /** What is committed: rows up to `checkpoint`, counted in `counts`. */
  private checkpoint: number;
  private readonly counts: Counts;
  private readonly conflicts: LineError[];
  private readonly failuresBefore: number;
  /** Every validation error of the file, found again on each run. */
  private readonly pending: Pending[] = [];
  /** Members for the list, in file order by contact (only when a list is filled). */
  private readonly members: Map<string, Record<string, string> | undefined> | undefined;
  private readonly order: Chunk[] = [];
  /** One pipeline of write requests for the whole run. */
  private readonly writer: BatchWriter;
  private dirty = false;
  private lost = false;
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private leaseWrittenAt: number;
  /** The end of the lease last written, by this runner's clock. */
  private leaseUntil: number;
  private renewing: Promise<void> | undefined;
  private lockRenewedAt: number;
  private progressed = false;

  constructor(
    private readonly job: Job,
    private readonly row: Row,
    private readonly runId: string,
    claimedAt: number,
    options: RunOptions,
  ) {
    this.key = { companyId: row.companyId, importId: row.importId };
    this.chunkSize = options.chunkSize ?? defaults.chunkSize;
    this.concurrency = options.concurrency ?? defaults.concurrency;
    this.writer = new BatchWriter(this.concurrency);
    this.timeLeft = options.timeLeft ?? (() => Number.POSITIVE_INFINITY);
    this.clock = options.clock ?? Date.now;
    this.written = options.written ?? (async () => {});
    this.leaseWrittenAt = claimedAt;
    this.leaseUntil = claimedAt + leaseMs;
    this.lockRenewedAt = claimedAt;
    this.agencyIds = [...row.agencyIds];
    this.checkpoint = row.checkpoint;
    this.counts = {
      rowsDone: row.rowsDone,
      created: row.created,
      updated: row.updated,
      unchanged: row.unchanged,
      skipped: row.skipped,
      errors: row.errors,
    };
    this.conflicts = [...((row.conflicts as LineError[] | undefined) ?? [])];
    this.failuresBefore = row.failures;
    this.members = row.listId ? new Map() : undefined;
  }

  async execute(): Promise<Outcome> {
    this.timer = setInterval(() => this.beat(), heartbeatMs);
    try {
      const summary = await this.importRows();
      if (!summary || this.timeLeft() < stopMarginMs) return await this.pause();
      return await this.finish(summary);
    } catch (error) {
      return await this.recover(error);
    } finally {
      clearInterval(this.timer);
    }
  }

  /** A user-visible problem (the file, the list) fails the import; anything else is tried again. */
  private async recover(error: unknown): Promise<Outcome> {
    try {
      if (error instanceof LeaseLost) return { result: "lost", importId: this.key.importId };
      if (error instanceof VisibleError) return await this.fail(error.code, error.message);
      return await this.retry(error);
    } catch (again) {
      if (again instanceof LeaseLost) return { result: "lost", importId: this.key.importId };
      throw again;
    }
  }

  /** Reads every row; writes those past the checkpoint. Undefined when it stopped for lack of time. */
  private async importRows(): Promise<Spreadsheet.Summary<Field> | undefined> {
    const mapping = this.row.mapping as Mapping | undefined;
    const rows = checkedRows({ key: this.row.fileKey, fileName: this.row.fileName }, plan(mapping));
    const inflight = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    const dispatch = (chunk: Chunk) => {
      this.order.push(chunk);
      const work = this.write(chunk)
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => inflight.delete(work));
      inflight.add(work);
    };
    const newChunk = (replay: boolean): Chunk => ({
      lastLine: 0,
      rows: [],
      listFields: new Map(),
      replay,
      done: false,
      counts: zero(),
      conflicts: [],
    });
    let chunk = newChunk(false);
    let replay = this.members ? newChunk(true) : undefined;
    try {
      let next = await rows.next();
      for (; !next.done; next = await rows.next()) {
        const checked = next.value;
        const { line } = checked;
        if (line <= this.checkpoint) {
          // Committed by an earlier run: only validated again, and looked up again for the list's members.
          if (!checked.ok) this.pending.push(...checked.errors);
          else if (replay) {
            replay.rows.push({ index: line, value: checked.value });
            if (checked.listFields) replay.listFields.set(line, checked.listFields);
            if (replay.rows.length >= this.chunkSize) {
              dispatch(replay);
              replay = newChunk(true);
            }
          }
        } else {
          chunk.lastLine = line;
          chunk.counts.rowsDone++;
          if (!checked.ok) {
            if (!this.row.onlyValid) {
              throw new VisibleError(
                "import.file_changed",
                `Line ${line} has errors the dry run did not show: the file changed since. Check it again.`,
                409,
              );
            }
            this.pending.push(...checked.errors);
            chunk.counts.skipped++;
            chunk.counts.errors += checked.errors.length;
          } else {
            chunk.rows.push({ index: line, value: checked.value });
            if (checked.listFields) chunk.listFields.set(line, checked.listFields);
          }
          // Bad lines count too, so that a file of mostly errors still shows progress.
          if (chunk.rows.length >= this.chunkSize || chunk.counts.rowsDone >= this.chunkSize * 4) {
            dispatch(chunk);
            chunk = newChunk(false);
          }
        }
        // A chunk looked up ahead of those being written keeps the write pipeline full.
        while (inflight.size >= this.concurrency + lookAhead) await Promise.race(inflight);
        if (failure) throw failure.error;
        if (this.lost) throw new LeaseLost();
        if (this.timeLeft() < stopMarginMs) return undefined;
      }
      if (replay?.rows.length) dispatch(replay);
      if (chunk.counts.rowsDone > 0) dispatch(chunk);
      await Promise.all(inflight);
      if (failure) throw failure.error;
      if (this.lost) throw new LeaseLost();
      return next.value;
    } finally {
      // Whatever happens, nothing may still be writing once the outcome is recorded.
      await Promise.all(inflight);
      await rows.return(undefined as never);
    }
  }

  private async write(chunk: Chunk) {
    if (chunk.rows.length > 0) await this.holdLease();
    // Rows written again for the list's members are committed already: no stamp, nothing rewritten whole.
    const stamp = chunk.replay ? {} : { importId: this.key.importId };
    const outcomes =
      chunk.rows.length > 0
        ? await Contact.upsertBatch(chunk.rows, this.agencyIds, { writer: this.writer, ...stamp })
        : [];
    const values =
      chunk.rows.length > 0 ? new Map(chunk.rows.map((row) => [row.index, row.value])) : undefined;
    for (const outcome of outcomes) {
      if (outcome.result === "conflict") {
        const value = values?.get(outcome.index);
        chunk.conflicts.push({
          line: outcome.index,
          column: "",
          code: "import.conflict",
          message: outcome.message ?? "Mobile and email belong to two different contacts",
          value: [value?.mobile, value?.email].filter(Boolean).join(" / "),
        });
        chunk.counts.skipped++;
        chunk.counts.errors++;
        continue;
      }
      chunk.counts[outcome.result]++;
      if (this.members && outcome.contactId) {
        const fields = chunk.listFields.get(outcome.index);
        this.members.set(outcome.contactId, fields ?? this.members.get(outcome.contactId));
      }
    }
    if (!chunk.replay) await this.written(chunk.lastLine);
    chunk.done = true;
    this.commitReady();
  }

  /** Folds finished chunks into the committed state, in file order only. */
  private commitReady() {
    while (this.order[0]?.done) {
      const chunk = this.order.shift()!;
      if (chunk.replay) continue;
      for (const name of Object.keys(this.counts) as Array<keyof Counts>)
        this.counts[name] += chunk.counts[name];
      this.checkpoint = Math.max(this.checkpoint, chunk.lastLine);
      if (chunk.conflicts.length > 0) this.conflicts.push(...chunk.conflicts);
      this.dirty = true;
      this.progressed = true;
    }
  }

  private snapshot() {
    return {
      ...this.counts,
      checkpoint: this.checkpoint,
      conflicts: this.conflicts.slice(0, maxKeptConflicts),
    };
  }

  /** Progress and lease, at most once a second; a refused write means another worker took over. */
  private beat() {
    if (this.flushing || this.lost) return;
    const now = this.clock();
    const leaseDue = now - this.leaseWrittenAt > leaseMs / 3;
    if (!this.dirty && !leaseDue && now - this.lockRenewedAt < lockRenewMs) return;
    this.flushing = this.heartbeat(now).finally(() => {
      this.flushing = undefined;
    });
  }

  private async heartbeat(now: number) {
    try {
      if (this.dirty || now - this.leaseWrittenAt > leaseMs / 3) {
        this.dirty = false;
        await this.guarded({ ...this.snapshot(), leaseUntil: now + leaseMs });
        this.leased(now);
      }
      if (now - this.lockRenewedAt >= lockRenewMs) {
        await ContactImportLockEntity.patch({ companyId: this.key.companyId })
          .set({ leaseUntil: now + lockLeaseMs })
          .where(({ importId }, { eq }) => eq(importId, this.key.importId))
          .go();
        this.lockRenewedAt = now;
      }
    } catch (error) {
      if (error instanceof LeaseLost || isConditionalFailure(error)) this.lost = true;
      else this.dirty = true; // Try again on the next beat.
    }
  }

  private leased(now: number) {
    this.leaseWrittenAt = Math.max(this.leaseWrittenAt, now);
    this.leaseUntil = Math.max(this.leaseUntil, now + leaseMs);
  }

  /**
   * Before contacts are written: a lease half spent by this runner's clock (its heartbeat stalled) is
   * renewed first, and a refusal stops the run, so that a runner that lost the import writes no more.
   */
  private async holdLease(always = false) {
    if (this.lost) throw new LeaseLost();
    if (!always && this.clock() < this.leaseUntil - leaseMs / 2) return;
    this.renewing ??= this.renew().finally(() => {
      this.renewing = undefined;
    });
    await this.renewing;
  }

  private async renew() {
    const now = this.clock();
    try {
      // The lease alone: counters written out of order could go back.
      await this.guarded({ leaseUntil: now + leaseMs });
    } catch (error) {
      if (error instanceof LeaseLost) this.lost = true;
      throw error;
    }
    this.leased(now);
  }

  /** Writes the import item only while this run holds it. */
  private async guarded(changes: Record<string, unknown>, also: TransactItem[] = []) {
    const update = ContactImportEntity.patch(this.key)
      .set(changes as Parameters<ReturnType<typeof ContactImportEntity.patch>["set"]>[0])
      .where(({ runId, status }, { eq }) => `${eq(runId, this.runId)} AND ${eq(status, "running")}`);
    try {
      if (also.length > 0) await transactWrite([write.update(update.params()), ...also]);
      else await update.go();
    } catch (error) {
      if (isConditionalFailure(error)) throw new LeaseLost();
      throw error;
    }
  }

  /**
   * The final write of this run: stop the heartbeat first, so that nothing writes after it. A final
   * status carries its audit entry in the same transaction.
   */
  private async settle(changes: Record<string, unknown>, also: TransactItem[] = []) {
    clearInterval(this.timer);
    await this.flushing;
    if (this.lost) throw new LeaseLost();
    await this.guarded(changes, also);
  }

  private async releaseLock() {
    await ContactImportLockEntity.delete({ companyId: this.key.companyId })
      .where(({ importId }, { eq }) => eq(importId, this.key.importId))
      .go()
      .catch((error: unknown) => {
        if (!isConditionalFailure(error)) throw error;
      });
  }

  private async pause(): Promise<Outcome> {
    // Released: the lease ends now, so the next message claims it at once.
    await this.settle({ ...this.snapshot(), leaseUntil: this.clock(), failures: 0 });
    await enqueue(this.job);
    return { result: "continued", importId: this.key.importId, checkpoint: this.checkpoint };
  }

  private async retry(error: unknown): Promise<Outcome> {
    const failures = this.progressed ? 1 : this.failuresBefore + 1;
    if (failures > maxFailures) {
      return this.fail("import.crashed", "The import kept failing; try again later or contact support");
    }
    await this.settle({ ...this.snapshot(), leaseUntil: this.clock(), failures });
    await enqueue(this.job, Math.min(900, 15 * 2 ** (failures - 1)));
    return { result: "retrying", importId: this.key.importId, error };
  }

  private async fail(code: string, message: string): Promise<Outcome> {
    const finishedAt = new Date().toISOString();
    await this.settle(
      {
        ...this.snapshot(),
        status: "failed",
        failureCode: code,
        failureMessage: message,
        finishedAt,
        leaseUntil: 0,
      },
      [this.audit("failed"), ...this.usage()],
    );
    await this.releaseLock();
    return { result: "failed", importId: this.key.importId };
  }

  private async finish(summary: Spreadsheet.Summary<Field>): Promise<Outcome> {
    // The report and the list are written by the holder only: checked now, with a fresh lease for them.
    await this.holdLease(true);
    const errors = [...this.pending.map(columnOf(summary.header)), ...this.conflicts].sort(
      (a, b) => a.line - b.line,
    );
    const mobileHeader = summary.header.matched.find((match) => match.key === "mobile")?.header ?? "Mobile";
    for (const error of errors) if (error.code === "import.conflict") error.column = mobileHeader;
    let key: string | undefined;
    if (errors.length > 0) {
      key = reportKey(this.key.companyId, this.key.importId);
      const file = { key: this.row.fileKey, fileName: this.row.fileName };
      await Report.write(key, errors, {
        language: await languageOf(this.key.companyId, (this.row.startedBy as StartedBy).userId),
        original: {
          headers: summary.header.headers.filter(Boolean),
          rows: originalLines(
            file,
            plan(this.row.mapping as Mapping | undefined),
            summary.header,
            new Set(errors.map((error) => error.line)),
          ),
        },
      });
    }
    if (this.row.listId && this.members && this.members.size > 0) {
      // Lists (and what they load) are only needed at the very end, and only when a list is filled.
      const ListFill = await import("./list-fill");
      await ListFill.fill(
        this.row.listId,
        [...this.members].map(([contactId, fields]) => (fields ? { contactId, fields } : { contactId })),
      );
    }
    await this.settle(
      {
        ...this.snapshot(),
        total: summary.rows,
        status: "done",
        finishedAt: new Date().toISOString(),
        leaseUntil: 0,
        ...(key ? { reportKey: key } : {}),
      },
      [this.audit("done"), ...this.usage()],
    );
    await this.releaseLock();
    Metrics.count(this.key.companyId, "ImportRows", this.counts.rowsDone);
    Metrics.count(this.key.companyId, "ImportErrors", this.counts.errors);
    return { result: "done", importId: this.key.importId };
  }

  /** Rows imported count in the month's usage, in the transaction that ends the import: once. */
  private usage() {
    const { created, updated, unchanged } = this.counts;
    const add = Usage.addWrite(this.key.companyId, Usage.monthOf(new Date()), {
      imports: created + updated + unchanged,
    });
    return add ? [add] : [];
  }

  private audit(status: "done" | "failed") {
    return Audit.entry("contact.imported", {
      target: { type: "contactImport", id: this.key.importId, label: this.row.fileName },
      details: { status, listId: this.row.listId, ...this.counts },
    });
  }
}

/** The report speaks the language of who started the import: theirs if set, else the company's. */
async function languageOf(companyId: string, userId: string): Promise<Report.Language> {
  const [{ data: user }, { data: company }] = await Promise.all([
    UserEntity.get({ companyId, userId }).go(),
    CompanyEntity.get({ companyId }).go(),
  ]);
  return user?.language ?? company?.language ?? "fr";
}
