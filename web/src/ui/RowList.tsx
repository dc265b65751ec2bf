import type { ReactNode } from 'react';

/** A plain bordered list of rows (title, description, actions) — a semantic <ul>, no virtualisation. */
export interface Row {
  key: string;
  title: ReactNode;
  description?: ReactNode;
  extra?: ReactNode;
  actions?: ReactNode;
  onOpen?: (() => void) | undefined;
}

export const RowList = ({ rows, label }: { rows: Row[]; label: string }) => (
  <ul className="ea-rows" aria-label={label}>
    {rows.map((r) => (
      <li key={r.key} className="ea-row">
        <div className="ea-row-main">
          <div className="ea-row-title">{r.title}</div>
          {r.description ? <div className="ea-row-desc">{r.description}</div> : null}
        </div>
        {r.extra ? <div className="ea-row-extra">{r.extra}</div> : null}
        {r.actions ? <div className="ea-row-actions">{r.actions}</div> : null}
      </li>
    ))}
  </ul>
);
