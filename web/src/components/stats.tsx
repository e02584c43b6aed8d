import { useI18n } from "../i18n/i18n";

export type Stat = { label: string; value: number; testId?: string; tone?: "ok" | "bad" };

/** Counts side by side, each a big number over its label (an import's lines, a paste's entries…). */
export function Stats({ items, testId }: { items: Stat[]; testId?: string }) {
  const { number } = useI18n();
  // three to a row by default; the wider sets have their own grid
  const className = items.length > 3 ? `stats stats-${items.length}` : "stats";
  return (
    <dl className={className} data-testid={testId}>
      {items.map((item) => (
        <div key={item.label} className={item.tone ? `stat-${item.tone}` : undefined}>
          <dt>{item.label}</dt>
          <dd data-testid={item.testId}>{number(item.value)}</dd>
        </div>
      ))}
    </dl>
  );
}
