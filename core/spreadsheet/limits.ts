import * as z from "zod";

const MiB = 1024 * 1024;

export const Limits = z.object({
  /** Size of the file as uploaded. */
  maxBytes: z.number().int().positive(),
  /** Non-empty data rows, header excluded. */
  maxRows: z.number().int().positive(),
  /** Sum of the uncompressed sizes of the .xlsx parts we read. */
  maxUncompressedBytes: z.number().int().positive().optional(),
});
export type Limits = z.infer<typeof Limits>;

/** Enough for tens of thousands of contacts; callers importing users pass smaller limits. */
export const defaultLimits: Limits = { maxBytes: 10 * MiB, maxRows: 50_000 };

/** Real sheets compress 5–20×, even when every row is the same; deflate cannot exceed ~1030×. */
export const maxCompressionRatio = 200;
/** Below this size a part cannot hurt us whatever its ratio (styles, rels and the like compress well). */
export const ratioCheckFrom = 1 * MiB;
/** The shared strings stay in memory while rows stream; 100,000 rows of distinct text fit in half of this. */
export const maxSharedStringsBytes = 64 * MiB;
/** An .xlsx holds a few dozen parts; thousands means something is wrong. */
export const maxZipEntries = 10_000;
/**
 * Sum over rows of each row's last column: what exceljs's reader spends its time on (about 1 s at this
 * bound). A real file this dense would be far over maxBytes; a 200 KB file with a cell at column XFD on
 * every row reaches it and would otherwise cost minutes.
 */
export const maxCellSlots = 20_000_000;
/** Excel's own limit on the characters in a cell. */
export const maxCellLength = 32_767;

export type ResolvedLimits = Required<Limits>;

export function resolveLimits(limits: Limits): ResolvedLimits {
  const parsed = Limits.parse(limits);
  return {
    ...parsed,
    maxUncompressedBytes: parsed.maxUncompressedBytes ?? Math.min(20 * parsed.maxBytes, 200 * MiB),
  };
}
