// What every part of the web app shares: building elements, the signed-in user's token and scopes,
// and calls to Mediary's API with that token.

export const TOKEN = "mediary.token";
export const SCOPES = "mediary.scopes";

type Attributes = Record<string, string | boolean | number | ((event: Event) => void)>;

/** An element with its attributes (on* are listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else if (value !== false) element.setAttribute(name, String(value));
  }
  element.append(...children);
  return element;
}

/**
 * A button asked twice (Delete, Discard, Revoke): the first press asks again, the second acts, with
 * the button disabled while it does. `name`, when given, is its accessible name beside the label.
 */
export function twiceAsked(label: string, again: string, act: () => Promise<void>, name?: string): HTMLButtonElement {
  const button = h("button", { type: "button", class: "danger" }, label) as HTMLButtonElement;
  if (name) button.setAttribute("aria-label", name);
  let armed = false;
  button.addEventListener("click", async () => {
    if (!armed) {
      armed = true;
      button.textContent = again;
      if (name) button.setAttribute("aria-label", `${again} (${name})`);
      return;
    }
    button.disabled = true;
    await act();
  });
  return button;
}

/** A size as people read it: bytes, then KB, MB, GB (of 1024). */
export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export function token(): string | null {
  return localStorage.getItem(TOKEN);
}

/** The scopes the server granted the token (admin scopes only to an admin account). */
export function grantedScopes(): string[] {
  return (localStorage.getItem(SCOPES) ?? "").split(" ").filter(Boolean);
}

let signedOut: () => void = () => undefined;

/** What to do when the server says the token is no longer valid (401). */
export function onSignedOut(handler: () => void): void {
  signedOut = handler;
}

/** A call to the API with the user's token; the JSON error of a refusal becomes the thrown message. */
export async function api(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const bearer = token();
  if (bearer) headers.set("Authorization", `Bearer ${bearer}`);
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401) {
    localStorage.removeItem(TOKEN);
    signedOut();
  }
  if (!response.ok && response.status !== 206) throw new Error(await errorText(response));
  return response;
}

/** Mastodon's error string, or OAuth's description, or the status. */
export async function errorText(response: Response): Promise<string> {
  try {
    const body = await response.json();
    return body.error_description ?? body.error ?? `${response.status} ${response.statusText}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

/** The next page's path from a Link header (Mastodon's paging), or null on the last page. */
export function nextPage(response: Response): string | null {
  const next = /<([^>]+)>; rel="next"/.exec(response.headers.get("Link") ?? "")?.[1];
  if (!next) return null;
  const url = new URL(next);
  return url.pathname + url.search;
}
