// The operator's view, for an admin account: every account with the storage it uses and its quota,
// the job queue (queued, running, failed with the reason) with Retry and Discard on a failed job,
// and the tokens and API keys with Create and Revoke. It uses only Mediary's admin API under
// /api/v1/mediary/admin/, which checks the admin scopes; the server grants them to admins only.
import { api, byteSize, grantedScopes, h, nextPage, twiceAsked } from "./api";

const ADMIN = "/api/v1/mediary/admin";
const PAGE = "limit=20";

interface Usage {
  used_bytes: number;
  reserved_bytes: number;
  limit_bytes: number | null;
  remaining_bytes: number | null;
  media_count: number;
}

interface AdminAccount {
  id: string;
  username: string;
  email: string | null;
  admin: boolean;
  created_at: string;
  usage: Usage;
}

interface Job {
  id: string;
  kind: string;
  subject: string;
  media_id: string | null;
  account_id: string | null;
  state: string;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  run_after: string | null;
  created_at: string;
  updated_at: string;
}

interface AdminToken {
  id: string;
  username: string | null;
  application: string | null;
  scopes: string[];
  created_at: string;
  last_used_at: string | null;
}

/** Whether to offer the operator's view: the token carries admin:read (granted only to an admin account). */
export function isOperator(): boolean {
  return grantedScopes().includes("admin:read");
}

export function renderOperator(main: HTMLElement): void {
  const canWrite = grantedScopes().includes("admin:write");
  main.append(h("div", { class: "operator" }, accountsPanel(), jobsPanel(canWrite), tokensPanel(canWrite)));
}

function panel(id: string, title: string, ...children: Node[]): HTMLElement {
  return h("section", { class: "panel", id, "aria-labelledby": `${id}-title` }, h("h2", { id: `${id}-title` }, title), ...children);
}

interface Column<T> {
  title: string;
  cell: (item: T) => Node | string;
}

/**
 * A table of one of the admin API's lists: load(path) shows its first page, Load more follows the
 * Link header. On a phone each row becomes a block whose cells carry their column's title.
 */
function pagedTable<T extends { id: string }>(name: string, columns: Column<T>[], empty: string) {
  const body = h("tbody");
  const more = h("button", { type: "button", class: "more", "aria-label": `Load more ${name.toLowerCase()}`, hidden: true }, "Load more");
  const problem = h("p", { class: "error", role: "alert", hidden: true });
  let next: string | null = null;
  const show = async (path: string, fresh: boolean) => {
    try {
      const response = await api(path);
      const page = (await response.json()) as T[];
      if (fresh) body.replaceChildren();
      for (const item of page) {
        body.append(h("tr", { "data-id": item.id }, ...columns.map((column) => h("td", { "data-label": column.title }, column.cell(item)))));
      }
      if (fresh && page.length === 0) body.append(h("tr", {}, h("td", { colspan: columns.length, class: "empty" }, empty)));
      next = nextPage(response);
      more.hidden = next === null;
      problem.hidden = true;
    } catch (error) {
      problem.textContent = (error as Error).message;
      problem.hidden = false;
    }
  };
  more.addEventListener("click", () => next && show(next, false));
  const table = h("table", { class: "admin-table", "aria-label": name },
    h("thead", {}, h("tr", {}, ...columns.map((column) => h("th", { scope: "col" }, column.title)))), body);
  return { element: h("div", {}, problem, table, more), load: (path: string) => show(path, true) };
}

function time(iso: string): HTMLElement {
  return h("time", { datetime: iso }, new Date(iso).toLocaleString());
}

// ---- Accounts ----

function accountsPanel(): HTMLElement {
  const table = pagedTable<AdminAccount>("Accounts", [
    { title: "Account", cell: (account) => h("span", {}, `@${account.username}`, account.admin ? h("span", { class: "badge" }, "admin") : "") },
    { title: "E-mail", cell: (account) => account.email ?? "none" },
    { title: "Storage used", cell: (account) => storage(account.usage) },
    { title: "Quota", cell: (account) => quota(account.usage) },
    { title: "Created", cell: (account) => time(account.created_at) },
  ], "No accounts yet.");
  table.load(`${ADMIN}/accounts?${PAGE}`);
  return panel("accounts", "Accounts", h("p", { class: "hint" }, "Storage as the quotas count it: stored media, and uploads declared but not yet completed."),
    table.element);
}

function storage(usage: Usage): Node {
  const reserved = usage.reserved_bytes > 0 ? `, ${byteSize(usage.reserved_bytes)} reserved` : "";
  return h("span", { class: "usage" }, h("data", { value: usage.used_bytes }, byteSize(usage.used_bytes)),
    ` in ${usage.media_count} media${reserved}`);
}

function quota(usage: Usage): string {
  if (usage.limit_bytes === null) return "No quota";
  return `${byteSize(usage.limit_bytes)} (${byteSize(Math.max(0, usage.remaining_bytes ?? 0))} left)`;
}

// ---- The job queue ----

function jobsPanel(canWrite: boolean): HTMLElement {
  const state = h("select", { id: "job-state" },
    ...[["", "Queued, running and failed"], ["queued", "Queued"], ["running", "Running"], ["failed", "Failed"]].map(([value, text]) =>
      h("option", { value }, text))) as HTMLSelectElement;
  const said = h("p", { class: "saved", id: "job-said", "aria-live": "polite" });
  const reload = () => table.load(`${ADMIN}/jobs?${state.value ? `state=${state.value}&` : ""}${PAGE}`);
  const table = pagedTable<Job>("Jobs", [
    { title: "Kind", cell: (job) => job.kind },
    { title: "Media", cell: (job) => job.media_id ?? job.subject },
    { title: "State", cell: (job) => h("span", { class: `job-state ${job.state}` }, job.state) },
    { title: "Attempts", cell: (job) => `${job.attempts} of ${job.max_attempts}` },
    { title: "Last error", cell: (job) => (job.last_error ? h("span", { class: "reason" }, job.last_error) : "none") },
    { title: "Times", cell: times },
    { title: "Actions", cell: (job) => (canWrite && job.state === "failed" ? jobActions(job, said, reload) : "") },
  ], "No jobs queued, running or failed.");
  state.addEventListener("change", reload);
  reload();
  return panel("jobs", "Job queue",
    h("div", { class: "filters" }, h("label", { for: "job-state" }, "State"), state,
      h("button", { type: "button", onclick: () => { said.textContent = ""; reload(); } }, "Refresh")),
    said, table.element);
}

function times(job: Job): Node {
  const lines: [string, string][] = [["Created", job.created_at], ["Updated", job.updated_at]];
  if (job.run_after) lines.push(["Runs after", job.run_after]);
  return h("span", { class: "times" }, ...lines.map(([name, iso]) => h("span", {}, `${name} `, time(iso))));
}

function jobActions(job: Job, said: HTMLElement, reload: () => void): Node {
  const change = async (action: "retry" | "discard", done: string) => {
    try {
      await api(`${ADMIN}/jobs/${job.id}/${action}`, { method: "POST" });
      said.textContent = done;
    } catch (error) {
      said.textContent = (error as Error).message;
    }
    reload();
  };
  const what = `job ${job.id} (${job.kind} of ${job.media_id ?? job.subject})`;
  const retry = h("button", { type: "button", class: "primary", "aria-label": `Retry ${what}` }, "Retry") as HTMLButtonElement;
  retry.addEventListener("click", () => {
    retry.disabled = true;
    change("retry", `Job ${job.id} queued again.`);
  });
  const discard = twiceAsked("Discard", "Discard for good?", () => change("discard", `Job ${job.id} discarded; its media stays failed.`), `Discard ${what}`);
  return h("span", { class: "actions" }, retry, discard);
}

// ---- Tokens and API keys ----

const SCOPE_CHOICES: [string, string][] = [
  ["read", "read everything"],
  ["write", "change everything"],
  ["write:media", "upload media only"],
  ["follow", "follows"],
  ["push", "push notifications"],
  ["admin:read", "read the admin API (admins only)"],
  ["admin:write", "change through the admin API (admins only)"],
  ["direct", "an API key of the direct face (alone)"],
];

function tokensPanel(canWrite: boolean): HTMLElement {
  const said = h("p", { class: "saved", id: "token-said", "aria-live": "polite" });
  const reload = () => table.load(`${ADMIN}/tokens?${PAGE}`);
  const table = pagedTable<AdminToken>("Tokens", [
    { title: "Account", cell: (token) => (token.username ? `@${token.username}` : "none: an app's own") },
    { title: "App", cell: (token) => token.application ?? "none: made here or on the command line" },
    { title: "Scopes", cell: (token) => h("span", { class: "scopes" }, ...token.scopes.map((scope) => h("code", {}, scope))) },
    { title: "Created", cell: (token) => time(token.created_at) },
    { title: "Last used", cell: (token) => (token.last_used_at ? time(token.last_used_at) : "never") },
    { title: "Actions", cell: (token) => (canWrite ? revoke(token, said, reload) : "") },
  ], "No tokens.");
  reload();
  const parts: Node[] = [h("p", { class: "hint" }, "Tokens not revoked, newest first; only a hash of each is stored, so a token is shown once, when it is made. Last used is written at most once a minute.")];
  if (canWrite) parts.push(tokenForm(reload));
  return panel("tokens", "Tokens and API keys", ...parts, said, table.element);
}

function revoke(token: AdminToken, said: HTMLElement, reload: () => void): Node {
  const owner = token.username ? `@${token.username}` : "an app";
  return twiceAsked("Revoke", "Revoke for good?", async () => {
    try {
      await api(`${ADMIN}/tokens/${token.id}`, { method: "DELETE" });
      said.textContent = `The token of ${owner} is revoked: a request with it is refused from now on.`;
    } catch (error) {
      said.textContent = (error as Error).message;
    }
    reload();
  }, `Revoke the token of ${owner} made ${new Date(token.created_at).toLocaleString()}`);
}

function tokenForm(created: () => void): HTMLElement {
  const username = h("input", { type: "text", id: "token-username", autocomplete: "off", spellcheck: "false", required: true }) as HTMLInputElement;
  const choices = SCOPE_CHOICES.map(([scope, meaning]) => {
    const id = `scope-${scope.replace(":", "-")}`;
    return h("span", { class: "choice" }, h("input", { type: "checkbox", id, value: scope, checked: scope === "read" }),
      h("label", { for: id }, h("code", {}, scope), ` ${meaning}`));
  });
  const problem = h("p", { class: "error", role: "alert", hidden: true });
  const secret = h("div", { class: "secret", id: "token-secret", hidden: true });
  const form = h("form", { class: "token-form", "aria-labelledby": "token-form-title" },
    h("h3", { id: "token-form-title" }, "Create a token"),
    h("label", { for: "token-username" }, "Account's username"), username,
    h("fieldset", {}, h("legend", {}, "Scopes"), ...choices),
    h("button", { type: "submit", class: "primary" }, "Create token"), problem, secret);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const scopes = [...form.querySelectorAll<HTMLInputElement>("fieldset input:checked")].map((box) => box.value);
    try {
      const response = await api(`${ADMIN}/tokens`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username: username.value.trim().replace(/^@/, ""), scopes: scopes.join(" ") }),
      });
      showSecret(secret, await response.json());
      problem.hidden = true;
      created();
    } catch (error) {
      problem.textContent = (error as Error).message;
      problem.hidden = false;
      secret.hidden = true;
    }
  });
  return form;
}

/** The new token, shown this once (the server keeps only its hash), with a button to copy it. */
function showSecret(box: HTMLElement, token: AdminToken & { access_token: string }): void {
  const copied = h("span", { class: "saved", "aria-live": "polite" });
  const copy = h("button", {
    type: "button", onclick: () => navigator.clipboard.writeText(token.access_token).then(
      () => (copied.textContent = "Copied."),
      () => (copied.textContent = "The browser did not allow copying: select the token and copy it.")),
  }, "Copy token");
  box.replaceChildren(
    h("p", {}, `A token for @${token.username} with ${token.scopes.join(" ")}. It is shown only now: copy it before leaving this page.`),
    h("code", { class: "token" }, token.access_token),
    h("span", { class: "actions" }, copy, copied));
  box.hidden = false;
  copy.focus();
}
