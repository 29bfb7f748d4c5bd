// Mediary's web app: signs in through the server's own OAuth flow (the app registers itself,
// PKCE S256), uploads through tus with a progress bar per file (an upload cut by a reload or a lost
// connection resumes when the same file is chosen again), and lets a person describe each media:
// alt text with the limit counting down and a focal point set by pointing at the picture. It uses
// only the public Mastodon face, with the signed-in user's token.
import { decode } from "blurhash";
import * as tus from "tus-js-client";
import { SCOPES, TOKEN, api, byteSize, errorText, h, nextPage, onSignedOut, token, twiceAsked } from "./api";
import { isOperator, renderOperator } from "./operator";

const APP = "mediary.app";
const PKCE = "mediary.pkce";
const main = document.getElementById("main")!;
const session = document.getElementById("session")!;
const redirectUri = `${location.origin}/`;
// Admin scopes are granted only to an admin account; for anyone else the server leaves them out.
const scopes = "read write admin:read admin:write";

interface Limits {
  types: string[];
  descriptionLimit: number;
  imageSizeLimit: number;
  videoSizeLimit: number;
}

interface Media {
  id: string;
  type: string;
  url: string | null;
  preview_url: string | null;
  description: string | null;
  blurhash: string | null;
  meta: { focus?: { x: number; y: number }; original?: { width?: number; height?: number; duration?: number } } | null;
}

/** A status of the account's, as GET /api/v1/accounts/:id/statuses answers it. */
interface Status {
  id: string;
  url: string | null;
  created_at: string;
  media_attachments: Media[];
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// ---- Signing in ----

async function signIn(): Promise<void> {
  if (!crypto.subtle) {
    showError("Signing in needs HTTPS or localhost: the browser offers the hashing PKCE needs only there.");
    return;
  }
  let app = JSON.parse(localStorage.getItem(APP) ?? "null");
  if (!app || app.redirect_uri !== redirectUri || app.scopes !== scopes) {
    const registered = await fetch("/api/v1/apps", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ client_name: "Mediary web", redirect_uris: redirectUri, scopes }),
    });
    if (!registered.ok) throw new Error(await errorText(registered));
    const body = await registered.json();
    app = { client_id: body.client_id, client_secret: body.client_secret, redirect_uri: redirectUri, scopes };
    localStorage.setItem(APP, JSON.stringify(app));
  }
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(PKCE, JSON.stringify({ verifier, state }));
  location.assign(`/oauth/authorize?${new URLSearchParams({
    response_type: "code", client_id: app.client_id, redirect_uri: redirectUri, scope: scopes,
    code_challenge: challenge, code_challenge_method: "S256", state,
  })}`);
}

/** Back from the authorization page: the code for a token, if the state is ours. */
async function finishSignIn(query: URLSearchParams): Promise<void> {
  history.replaceState(null, "", "/");
  const pkce = JSON.parse(sessionStorage.getItem(PKCE) ?? "null");
  sessionStorage.removeItem(PKCE);
  const app = JSON.parse(localStorage.getItem(APP) ?? "null");
  if (query.get("error")) throw new Error(query.get("error") === "access_denied" ? "Signing in was cancelled." : query.get("error")!);
  if (!pkce || !app || pkce.state !== query.get("state")) throw new Error("This sign-in was not started here; please sign in again.");
  const response = await fetch("/oauth/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code", code: query.get("code")!, client_id: app.client_id, client_secret: app.client_secret,
      redirect_uri: redirectUri, code_verifier: pkce.verifier,
    }),
  });
  if (!response.ok) throw new Error(await errorText(response));
  const issued = await response.json();
  localStorage.setItem(TOKEN, issued.access_token);
  localStorage.setItem(SCOPES, issued.scope ?? "");
}

async function signOut(): Promise<void> {
  const app = JSON.parse(localStorage.getItem(APP) ?? "null");
  const bearer = token();
  if (app && bearer) {
    await fetch("/oauth/revoke", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: app.client_id, client_secret: app.client_secret, token: bearer }),
    });
  }
  localStorage.removeItem(TOKEN);
  localStorage.removeItem(SCOPES);
  uploads.replaceChildren();
  render();
}

// ---- The page ----

let limits: Limits | null = null;

async function loadLimits(): Promise<Limits> {
  const instance = await (await fetch("/api/v2/instance")).json();
  const media = instance.configuration.media_attachments;
  return {
    types: media.supported_mime_types,
    descriptionLimit: media.description_limit,
    imageSizeLimit: media.image_size_limit,
    videoSizeLimit: media.video_size_limit,
  };
}

function showError(message: string): void {
  main.prepend(h("p", { class: "error", role: "alert" }, message));
}

async function render(): Promise<void> {
  main.replaceChildren();
  session.replaceChildren();
  if (!token()) {
    main.append(h("section", { class: "welcome" },
      h("h2", {}, "Upload and describe your media"),
      h("p", {}, "Sign in with your Mediary account to upload images, videos and audio, write their alt text and set their focal point."),
      h("button", { type: "button", class: "primary", id: "sign-in", onclick: () => signIn().catch((e) => showError(e.message)) }, "Sign in")));
    return;
  }
  const account = await (await api("/api/v1/accounts/verify_credentials")).json();
  accountId = account.id;
  limits ??= await loadLimits();
  const known = limits;
  const views: Record<string, () => void> = { Upload: () => renderUploader(known), Library: () => renderLibrary() };
  if (isOperator()) views.Operator = () => renderOperator(main);
  const nav = h("nav", { class: "views", "aria-label": "Views" }, ...Object.keys(views).map((name) =>
    h("button", {
      type: "button", "aria-current": name === view ? "page" : false, onclick: () => {
        view = name;
        render();
      },
    }, name)));
  session.append(nav, h("span", {}, `@${account.username}`),
    h("button", { type: "button", id: "sign-out", onclick: () => signOut() }, "Sign out"));
  views[view]();
}

let view = "Upload";
// Kept across views, so an upload going on while the library is open is still there, with its progress, on the way back.
const uploads = h("ul", { class: "uploads", id: "uploads", "aria-live": "polite" });
let accountId = "";

function renderUploader(limits: Limits): void {
  const input = h("input", { type: "file", id: "files", multiple: true, accept: limits.types.join(",") }) as HTMLInputElement;
  const drop = h("section", { class: "drop", id: "drop", "aria-label": "Upload media" },
    h("p", {}, "Drop files here, paste them, or "),
    h("label", { for: "files", class: "button" }, "choose files"),
    input,
    h("p", { class: "hint" }, `Images up to ${megabytes(limits.imageSizeLimit)}, video and audio up to ${megabytes(limits.videoSizeLimit)}.`));
  const add = (files: Iterable<File>) => {
    for (const file of files) uploads.prepend(startUpload(file, limits));
  };
  input.addEventListener("change", () => {
    add(input.files ?? []);
    input.value = "";
  });
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    add(event.dataTransfer?.files ?? []);
  });
  document.onpaste = (event) => add(event.clipboardData?.files ?? []);
  main.append(drop, unfinishedNote(), uploads);
}

/** Uploads cut by a reload: tus remembers them; choosing the same file again resumes it. */
function unfinishedNote(): Node {
  const note = h("p", { class: "hint", id: "unfinished" });
  tus.defaultOptions.urlStorage?.findAllUploads().then((uploads) => {
    const names = uploads.map((upload) => upload.metadata?.filename).filter(Boolean);
    if (names.length > 0) note.textContent = `Unfinished: ${names.join(", ")}. Choose the same file again to go on where it stopped.`;
  });
  return note;
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

/** What the browser can tell before a byte is sent: the type it guesses and the size. */
function refusal(file: File, limits: Limits): string | null {
  if (file.type && !limits.types.includes(file.type)) return `${file.type} is not a type Mediary takes.`;
  const limit = file.type.startsWith("image/") ? limits.imageSizeLimit : limits.videoSizeLimit;
  if (file.size > limit) return `The file is larger than the ${megabytes(limit)} limit for its type.`;
  return null;
}

function startUpload(file: File, limits: Limits): HTMLLIElement {
  const progress = h("progress", { max: 100, value: 0, "aria-label": `Upload of ${file.name}` }) as HTMLProgressElement;
  const percent = h("span", { class: "percent" }, "0%");
  const status = h("span", { class: "status" }, "Waiting");
  const cancel = h("button", { type: "button", class: "cancel" }, "Cancel");
  const item = h("li", { class: "upload" }, h("div", { class: "row" }, h("strong", { class: "name" }, file.name), percent, cancel), progress, status);
  const refused = refusal(file, limits);
  if (refused) {
    fail(item, status, refused);
    cancel.remove();
    return item;
  }

  let mediaId: string | null = null;
  const upload = new tus.Upload(file, {
    endpoint: `${location.origin}/api/v2/media/uploads`,
    headers: { Authorization: `Bearer ${token()}` },
    metadata: { filename: file.name },
    chunkSize: 5 * 1024 * 1024,
    retryDelays: [0, 1000, 3000, 5000],
    removeFingerprintOnSuccess: true,
    onProgress: (sent, total) => {
      const value = total > 0 ? Math.floor((sent / total) * 100) : 0;
      progress.value = value;
      percent.textContent = `${value}%`;
      status.textContent = "Uploading";
    },
    onAfterResponse: (_request, response) => {
      mediaId = response.getHeader("Mediary-Media-Id") ?? mediaId;
    },
    onSuccess: () => {
      cancel.remove();
      progress.value = 100;
      percent.textContent = "100%";
      status.textContent = "Uploaded";
      if (mediaId) showMedia(item, status, mediaId, limits);
    },
    onError: (error) => {
      cancel.remove();
      const response = (error as tus.DetailedError).originalResponse;
      let message = error.message;
      try {
        message = JSON.parse(response?.getBody() ?? "").error ?? message;
      } catch {
        // Not Mastodon's JSON: tus-js-client's own sentence.
      }
      fail(item, status, message);
    },
  });
  cancel.addEventListener("click", async () => {
    await upload.abort(true);
    item.remove();
  });
  upload.findPreviousUploads().then((previous) => {
    if (previous.length > 0) {
      upload.resumeFromPreviousUpload(previous[0]);
      status.textContent = "Resuming";
    }
    upload.start();
  });
  return item;
}

function fail(item: HTMLElement, status: HTMLElement, message: string): void {
  item.classList.add("failed");
  status.textContent = message;
  status.setAttribute("role", "alert");
}

// ---- Describing a media ----

/** The media as the API has it now; polls politely while it is processing (206). */
async function showMedia(item: HTMLLIElement, status: HTMLElement, id: string, limits: Limits): Promise<void> {
  let delay = 1000;
  while (true) {
    let response: Response;
    try {
      response = await api(`/api/v1/media/${id}`);
    } catch (error) {
      fail(item, status, (error as Error).message);
      return;
    }
    const media: Media = await response.json();
    if (!item.querySelector(".editor")) item.append(editor(media, limits));
    if (response.status === 200) {
      status.textContent = "Ready";
      item.classList.add("ready");
      return;
    }
    status.textContent = "Processing";
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 1.5, 5000);
  }
}

function editor(media: Media, limits: Limits, note = ""): HTMLElement {
  const focus = { x: media.meta?.focus?.x ?? 0, y: media.meta?.focus?.y ?? 0 };
  const descriptionId = `description-${media.id}`;
  const text = h("textarea", { id: descriptionId, rows: 3 }) as HTMLTextAreaElement;
  text.value = media.description ?? "";
  const left = h("span", { class: "counter", "aria-live": "polite" });
  const countDown = () => {
    const remaining = limits.descriptionLimit - [...text.value].length;
    left.textContent = `${remaining} characters left`;
    left.classList.toggle("over", remaining < 0);
  };
  text.addEventListener("input", countDown);
  countDown();

  const saved = h("span", { class: "saved", "aria-live": "polite" }, note);
  const panel = h("div", { class: "editor" },
    h("label", { for: descriptionId }, "Alt text"), text, left);
  if (media.type === "video" || media.type === "gifv" || media.type === "audio") {
    panel.prepend(thumbnailChooser(media, (updated) => panel.replaceWith(editor({ ...updated, description: text.value }, limits, "Thumbnail saved"))));
  }
  if (media.preview_url) {
    const { picker, crops } = focalPointPicker(media, focus);
    panel.prepend(picker, crops);
  }
  panel.append(h("button", {
    type: "button", class: "primary save", onclick: async () => {
      saved.textContent = "Saving…";
      try {
        await api(`/api/v1/media/${media.id}`, {
          method: "PUT",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ description: text.value, focus: `${focus.x.toFixed(2)},${focus.y.toFixed(2)}` }),
        });
        saved.textContent = "Saved";
      } catch (error) {
        saved.textContent = (error as Error).message;
      }
    },
  }, "Save"), saved);
  return panel;
}

/**
 * A custom thumbnail for a video or an audio (Mastodon's `thumbnail` in PUT /api/v1/media/:id, an
 * image): sent as soon as it is chosen; the server's answer replaces the editor, so the picker and
 * the crops show the new picture.
 */
function thumbnailChooser(media: Media, changed: (updated: Media) => void): HTMLElement {
  const inputId = `thumbnail-${media.id}`;
  const input = h("input", { type: "file", id: inputId, accept: "image/jpeg,image/png,image/webp,image/gif" }) as HTMLInputElement;
  const result = h("span", { class: "saved", "aria-live": "polite" });
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    if (!file) return;
    const form = new FormData();
    form.append("thumbnail", file);
    result.textContent = "Sending the thumbnail…";
    try {
      changed(await (await api(`/api/v1/media/${media.id}`, { method: "PUT", body: form })).json());
    } catch (error) {
      result.textContent = (error as Error).message;
    }
  });
  return h("div", { class: "thumbnail" },
    h("label", { for: inputId }, media.preview_url ? "Replace the thumbnail" : "Choose a thumbnail"), input,
    h("span", { class: "hint" }, media.type === "audio" ? "Shown where the audio is posted." : "Shown before the video plays."), result);
}

/**
 * The preview with a marker at the focal point: a click or a drag moves it, arrow keys move it by
 * 0.05; below it, the crops timelines make at 16:9, 1:1 and 4:5. Mastodon's focus runs from -1
 * (left, bottom) to 1 (right, top).
 */
function focalPointPicker(media: Media, focus: { x: number; y: number }): { picker: HTMLElement; crops: HTMLElement } {
  const image = h("img", { src: media.preview_url!, alt: "", draggable: "false" });
  const marker = h("span", { class: "marker", "aria-hidden": "true" });
  const picker = h("div", {
    class: "picker", tabindex: 0, role: "slider", "aria-label": "Focal point: click the picture or use the arrow keys",
    "aria-valuemin": -1, "aria-valuemax": 1,
  }, image, marker);
  const crops = h("div", { class: "crops" }, ...["16 / 9", "1 / 1", "4 / 5"].map((ratio) =>
    h("figure", {}, h("div", { class: "crop", "data-ratio": ratio }, h("img", { src: media.preview_url!, alt: "" })),
      h("figcaption", {}, ratio.replace(/ /g, "")))));
  const show = () => {
    const left = ((focus.x + 1) / 2) * 100;
    const top = ((1 - focus.y) / 2) * 100;
    marker.style.left = `${left}%`;
    marker.style.top = `${top}%`;
    picker.setAttribute("aria-valuetext", `x ${focus.x.toFixed(2)}, y ${focus.y.toFixed(2)}`);
    for (const crop of crops.querySelectorAll<HTMLElement>(".crop")) {
      crop.style.aspectRatio = crop.dataset.ratio!;
      crop.querySelector("img")!.style.objectPosition = `${left}% ${top}%`;
    }
  };
  const clamp = (value: number) => Math.max(-1, Math.min(1, Math.round(value * 100) / 100));
  const pointAt = (event: PointerEvent) => {
    const box = image.getBoundingClientRect();
    focus.x = clamp(((event.clientX - box.left) / box.width) * 2 - 1);
    focus.y = clamp(1 - ((event.clientY - box.top) / box.height) * 2);
    show();
  };
  picker.addEventListener("pointerdown", (event) => {
    picker.setPointerCapture(event.pointerId);
    pointAt(event);
  });
  picker.addEventListener("pointermove", (event) => {
    if (picker.hasPointerCapture(event.pointerId)) pointAt(event);
  });
  picker.addEventListener("keydown", (event) => {
    const step = { ArrowLeft: [-0.05, 0], ArrowRight: [0.05, 0], ArrowUp: [0, 0.05], ArrowDown: [0, -0.05] }[event.key];
    if (!step) return;
    event.preventDefault();
    focus.x = clamp(focus.x + step[0]);
    focus.y = clamp(focus.y + step[1]);
    show();
  });
  show();
  return { picker, crops };
}

// ---- The library: the account's media not yet in a status or in its posts, and a post made of them ----

/** Mastodon's rules for a status's media, said before posting: at most 4, video or audio alone, nothing still processing. */
function postRefusal(chosen: Media[]): string | null {
  if (chosen.length === 0) return "Choose up to 4 media to post.";
  if (chosen.length > 4) return "Cannot attach more than 4 files";
  if (chosen.length > 1 && chosen.some((media) => media.type === "video" || media.type === "audio")) {
    return "Cannot attach a video to a post that already contains images";
  }
  if (chosen.some((media) => media.url === null)) return "Cannot attach files that have not finished processing. Try again in a moment!";
  return null;
}

function renderLibrary(): void {
  const where = h("select", { id: "filter-where" },
    h("option", { value: "unattached" }, "Not yet posted"), h("option", { value: "posted" }, "In posts"));
  const type = h("select", { id: "filter-type" },
    ...["", "image", "video", "gifv", "audio"].map((value) => h("option", { value }, value || "Any type")));
  const state = h("select", { id: "filter-state" },
    ...["", "ready", "processing", "failed"].map((value) => h("option", { value }, value || "Any state")));
  const grid = h("ul", { class: "library", id: "library", "aria-live": "polite" });
  const more = h("button", { type: "button", id: "more", hidden: true }, "Load more");
  const chosen = new Map<string, Media>();
  const status = h("textarea", { id: "status-text", rows: 2 }) as HTMLTextAreaElement;
  const rule = h("p", { class: "rule", id: "post-rule", "aria-live": "polite" });
  const post = h("button", { type: "button", class: "primary", id: "post" }, "Post") as HTMLButtonElement;
  const posted = h("p", { class: "saved", "aria-live": "polite" });
  const detail = h("section", { class: "detail", id: "detail", "aria-label": "Media details", hidden: true });
  const updateRule = () => {
    const refusal = postRefusal([...chosen.values()]);
    rule.textContent = refusal ?? `${chosen.size} chosen.`;
    rule.classList.toggle("bad", refusal !== null && chosen.size > 0);
    post.disabled = refusal !== null;
  };
  post.addEventListener("click", async () => {
    try {
      const response = await api("/api/v1/statuses", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ status: status.value, media_ids: [...chosen.keys()], visibility: "public" }),
      });
      const created = await response.json();
      posted.textContent = `Posted, with ${created.media_attachments.length} media.`;
      chosen.clear();
      status.value = "";
      load(true);
    } catch (error) {
      posted.textContent = (error as Error).message;
    }
  });

  let next: string | null = null;
  const load = async (fresh: boolean) => {
    const posted = where.value === "posted";
    // Media in posts are all processed; Mastodon's listing of statuses has no type filter, so the
    // type is filtered here.
    state.disabled = posted;
    const query = new URLSearchParams({ limit: "20" });
    if (posted) query.set("only_media", "true");
    else {
      if (type.value) query.set("type", type.value);
      if (state.value) query.set("state", state.value);
    }
    const first = posted ? `/api/v1/accounts/${accountId}/statuses?${query}` : `/api/v1/mediary/media?${query}`;
    const response = await api(fresh || !next ? first : next);
    if (fresh) {
      grid.replaceChildren();
      chosen.clear();
    }
    const page: { media: Media; status?: Status }[] = posted
      ? (await response.json() as Status[]).flatMap((status) => status.media_attachments.map((media) => ({ media, status })))
      : (await response.json() as Media[]).map((media) => ({ media }));
    const shown = page.filter(({ media }) => !posted || !type.value || media.type === type.value);
    for (const { media, status } of shown) grid.append(tile(media, status, chosen, updateRule, detail, () => load(true)));
    if (fresh && shown.length === 0 && !nextPage(response)) {
      grid.append(h("li", { class: "empty" }, posted ? "No media in posts yet." : "No media here: nothing uploaded yet, or all of it is in posts."));
    }
    next = nextPage(response);
    more.hidden = next === null;
    updateRule();
  };
  where.addEventListener("change", () => load(true));
  type.addEventListener("change", () => load(true));
  state.addEventListener("change", () => load(true));
  more.addEventListener("click", () => load(false));

  main.append(
    h("section", { class: "filters" }, h("label", { for: "filter-where" }, "Show"), where, h("label", { for: "filter-type" }, "Type"), type, h("label", { for: "filter-state" }, "State"), state),
    grid, more, detail,
    h("section", { class: "compose", "aria-label": "New post" },
      h("h2", {}, "Post the chosen media"), h("label", { for: "status-text" }, "Text"), status, rule, post, posted));
  load(true);
}

/** A media's tile; one already in a post (`status`) cannot be chosen for another. */
function tile(media: Media, status: Status | undefined, chosen: Map<string, Media>, changed: () => void, detail: HTMLElement, reload: () => void): HTMLLIElement {
  const canvas = h("canvas", { width: 32, height: 32, "aria-hidden": "true" }) as HTMLCanvasElement;
  if (media.blurhash) {
    try {
      const context = canvas.getContext("2d")!;
      const pixels = context.createImageData(32, 32);
      pixels.data.set(decode(media.blurhash, 32, 32));
      context.putImageData(pixels, 0, 0);
    } catch {
      // An undecodable hash: the tile stays plain until the preview arrives.
    }
  }
  const picture = h("div", { class: "thumb" }, canvas);
  if (media.preview_url) {
    const image = h("img", { src: media.preview_url, alt: media.description ?? "", loading: "lazy" });
    image.addEventListener("load", () => canvas.remove());
    picture.append(image);
  }
  const choose = h("input", { type: "checkbox", id: `choose-${media.id}` }) as HTMLInputElement;
  choose.addEventListener("change", () => {
    if (choose.checked) chosen.set(media.id, media);
    else chosen.delete(media.id);
    changed();
  });
  const state = media.url ? "ready" : "processing or failed";
  const open = h("button", {
    type: "button", class: "open", "aria-label": `Details of ${media.type} ${media.description ?? media.id}`,
    onclick: () => showDetail(media, status, detail, reload),
  }, picture);
  const row = status
    ? h("div", { class: "row" }, h("span", {}, `${media.type}, in a post of ${new Date(status.created_at).toLocaleDateString()}`))
    : h("div", { class: "row" }, choose, h("label", { for: `choose-${media.id}` }, `${media.type}, ${state}`));
  return h("li", { class: "tile", "data-id": media.id, "data-type": media.type }, open, row);
}

function showDetail(media: Media, status: Status | undefined, detail: HTMLElement, reload: () => void): void {
  const original = media.meta?.original;
  const facts: [string, string][] = [["Type", media.type]];
  if (original?.width && original?.height) facts.push(["Dimensions", `${original.width}×${original.height}`]);
  if (original?.duration) facts.push(["Duration", `${original.duration.toFixed(1)} s`]);
  facts.push(["Alt text", media.description ?? "none"]);
  const urls = ([["File", media.url], ["Preview", media.preview_url]] as [string, string | null][]).filter(([, url]) => url);
  const remove = twiceAsked("Delete", "Delete for good?", async () => {
    try {
      await api(`/api/v1/media/${media.id}`, { method: "DELETE" });
      detail.hidden = true;
      reload();
    } catch (error) {
      remove.textContent = (error as Error).message;
      remove.disabled = false;
    }
  });
  remove.id = "delete";
  // Mastodon refuses to delete a media a status uses; the post is where it goes away.
  const inPost = status
    ? h("p", { class: "url" }, "In a post: ", status.url ? h("a", { href: status.url }, status.url) : h("span", {}, status.id))
    : remove;
  detail.replaceChildren(
    h("h2", {}, "Details"),
    h("dl", {}, ...facts.flatMap(([term, value]) => [h("dt", {}, term), h("dd", { "data-fact": term }, value)])),
    ...urls.map(([name, url]) => h("p", { class: "url" }, h("span", {}, `${name}: `), h("code", { "data-url": name }, url!),
      h("button", { type: "button", onclick: () => navigator.clipboard?.writeText(url!) }, `Copy ${name.toLowerCase()} URL`))),
    inPost,
    h("button", { type: "button", onclick: () => (detail.hidden = true) }, "Close"));
  detail.hidden = false;
  detail.querySelector<HTMLButtonElement>("button")?.focus();
  showFileSize(media, detail.querySelector("dl")!);
}

/**
 * The stored file's size, which Mastodon's media JSON does not carry: the Content-Length of a HEAD
 * on its URL, when the file is served from this origin (files in a bucket elsewhere are left out:
 * the page's policy lets it connect only to its own server).
 */
async function showFileSize(media: Media, facts: HTMLElement): Promise<void> {
  if (!media.url || new URL(media.url, location.href).origin !== location.origin) return;
  const length = Number((await fetch(media.url, { method: "HEAD" }).catch(() => null))?.headers.get("Content-Length"));
  if (!length) return;
  facts.append(h("dt", {}, "File size"), h("dd", { "data-fact": "File size", title: `${length} bytes` }, byteSize(length)));
}

async function start(): Promise<void> {
  const query = new URLSearchParams(location.search);
  try {
    if (query.has("code") || query.has("error")) await finishSignIn(query);
    await render();
  } catch (error) {
    await render().catch(() => undefined);
    showError((error as Error).message);
  }
}

onSignedOut(() => render());
start();

