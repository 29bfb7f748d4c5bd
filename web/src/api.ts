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
