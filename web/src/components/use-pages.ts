import { useCallback, useEffect, useRef, useState } from "react";

export type Page<T> = { items: T[]; cursor?: string };

export type Pages<T> = {
  items: T[];
  /** Set while the API has more to give. */
  cursor?: string;
  loading: boolean;
  error: unknown;
  /** Appends the next page. */
  more: () => Promise<void>;
  /** Changes the items in place (after a save or a deletion) without asking the API again. */
  update: (change: (items: T[]) => T[]) => void;
};

type State<T> = { items: T[]; cursor?: string; loading: boolean; error?: unknown };

/**
 * A list read page by page: the first page again whenever `key` changes (the filters, serialised), the
 * rows already shown staying until it arrives; `more()` appends the next one.
 */
export function usePages<T>(
  load: (cursor?: string) => Promise<Page<T>>,
  key: string,
  idOf: (item: T) => string,
): Pages<T> {
  const [state, setState] = useState<State<T>>({ items: [], loading: true });
  const loadRef = useRef(load);
  loadRef.current = load;
  const idOfRef = useRef(idOf);
  idOfRef.current = idOf;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for what `load` reads
  useEffect(() => {
    let live = true;
    setState((current) => ({ items: current.items, loading: true }));
    loadRef.current().then(
      (answer) => live && setState({ items: answer.items, cursor: answer.cursor, loading: false }),
      (error: unknown) => live && setState({ items: [], loading: false, error }),
    );
    return () => {
      live = false;
    };
  }, [key]);

  const { cursor } = state;
  const more = useCallback(async () => {
    if (!cursor) return;
    setState((current) => ({ ...current, loading: true }));
    try {
      const answer = await loadRef.current(cursor);
      setState((current) => {
        // a row created meanwhile can come again on a later page
        const shown = new Set(current.items.map((item) => idOfRef.current(item)));
        const fresh = answer.items.filter((item) => !shown.has(idOfRef.current(item)));
        return { items: [...current.items, ...fresh], cursor: answer.cursor, loading: false };
      });
    } catch (error) {
      setState((current) => ({ ...current, loading: false, error }));
    }
  }, [cursor]);

  const update = useCallback(
    (change: (items: T[]) => T[]) => setState((current) => ({ ...current, items: change(current.items) })),
    [],
  );

  return {
    items: state.items,
    cursor: state.cursor,
    loading: state.loading,
    error: state.error,
    more,
    update,
  };
}
