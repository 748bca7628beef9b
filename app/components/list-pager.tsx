import { Form, Link } from "@remix-run/react";

export interface ListPaging {
  total: number;
  page: number;
  pages: number;
  sort: string;
}

const SORT_LABELS: Record<string, string> = { number: "Number", newest: "Newest", answers: "Most answered" };

/** `?page=N&sort=S` on top of `base` (which may already carry a query such as `?tag=orm`); defaults left out. */
export function listHref(base: string, page: number, sort: string): string {
  const [path, query = ""] = base.split("?", 2);
  const params = new URLSearchParams(query);
  if (sort !== "number") params.set("sort", sort);
  if (page > 1) params.set("page", String(page));
  const q = params.toString();
  return q ? `${path}?${q}` : path!;
}

/** `<link rel="prev|next">` for a page of a list (meta descriptors). */
export function pagingLinks(base: string, paging: ListPaging | undefined) {
  if (!paging) return [];
  const out: Array<{ tagName: "link"; rel: string; href: string }> = [];
  if (paging.page > 1) out.push({ tagName: "link", rel: "prev", href: listHref(base, paging.page - 1, paging.sort) });
  if (paging.page < paging.pages) out.push({ tagName: "link", rel: "next", href: listHref(base, paging.page + 1, paging.sort) });
  return out;
}

/** The sort choice: a plain GET form, so it works without JavaScript. */
export function SortForm({ action, sort, hidden = {} }: { action: string; sort: string; hidden?: Record<string, string> }) {
  return (
    <Form method="get" action={action} className="sort-form">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <label htmlFor="list-sort">Sort by</label>{" "}
      <select id="list-sort" name="sort" defaultValue={sort}>
        {Object.entries(SORT_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>{" "}
      <button type="submit">Sort</button>
    </Form>
  );
}

/** Previous / next page links with "Page N of M". */
export function ListPager({ base, paging }: { base: string; paging: ListPaging }) {
  if (paging.pages <= 1) return null;
  return (
    <nav aria-label="Pages" className="list-pager">
      {paging.page > 1 ? (
        <Link rel="prev" to={listHref(base, paging.page - 1, paging.sort)}>
          ← Previous
        </Link>
      ) : (
        <span />
      )}
      <span className="page-of">
        Page {paging.page} of {paging.pages}
      </span>
      {paging.page < paging.pages ? (
        <Link rel="next" to={listHref(base, paging.page + 1, paging.sort)}>
          Next →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
