// The browser side of uppy-flow.mjs, bundled by it with esbuild: what a web client on its own
// origin does with Uppy (@uppy/core and @uppy/tus) and a Mediary token. A person picks a file in
// <input id="file">; Uppy sends it with its description to the tus endpoint; the page reads the
// media id from the last response and polls GET /api/v1/media/:id until the video is processed.
// Everything is recorded in what `window.mediaryUppy.finished` resolves with.

import Uppy from "@uppy/core";
import Tus from "@uppy/tus";

const record = {
  requests: [],
  fileProgress: [],
  totalProgress: [],
  successes: [],
  errors: [],
  polls: [],
};

let resolveFinished;
const finished = new Promise((resolve) => {
  resolveFinished = resolve;
});

/**
 * Sets up Uppy for `config` ({ baseUrl, token, description, focus, chunkSize }) and uploads the
 * next file picked in #file. Returns at once; `finished` resolves when the media is processed or
 * anything failed.
 */
function prepare(config) {
  const uppy = new Uppy({ autoProceed: false });
  uppy.use(Tus, {
    endpoint: `${config.baseUrl}/api/v2/media/uploads`,
    headers: { Authorization: `Bearer ${config.token}` },
    chunkSize: config.chunkSize,
    // No retries: a request that fails should fail the test, not be hidden by a second try.
    retryDelays: null,
    // What the page itself can read of each answer: a header CORS does not expose reads as null.
    onAfterResponse: (req, res) => {
      record.requests.push({
        method: req.getMethod(),
        url: req.getURL(),
        sentOffset: req.getHeader("Upload-Offset") ?? null,
        status: res.getStatus(),
        location: res.getHeader("Location") ?? null,
        offset: res.getHeader("Upload-Offset") ?? null,
        mediaId: res.getHeader("Mediary-Media-Id") ?? null,
      });
    },
  });

  uppy.on("upload-progress", (_file, progress) => {
    record.fileProgress.push({ bytesUploaded: progress.bytesUploaded, bytesTotal: progress.bytesTotal });
  });
  uppy.on("progress", (percent) => record.totalProgress.push(percent));
  uppy.on("upload-success", (file, response) => {
    // @uppy/tus hands over the XMLHttpRequest of the last PATCH: Mediary-Media-Id is on it.
    record.successes.push({
      name: file.name,
      size: file.size,
      uploadURL: response.uploadURL ?? null,
      status: response.status,
      mediaId: response.body?.xhr?.getResponseHeader("Mediary-Media-Id") ?? null,
    });
  });
  uppy.on("upload-error", (file, error) => record.errors.push(`upload-error ${file?.name}: ${error?.message ?? error}`));
  uppy.on("error", (error) => record.errors.push(`error: ${error?.message ?? error}`));

  document.getElementById("file").addEventListener("change", async (event) => {
    try {
      const [picked] = event.target.files;
      uppy.addFile({
        name: picked.name,
        type: picked.type,
        data: picked,
        meta: { description: config.description, focus: config.focus },
      });
      const result = await uppy.upload();
      record.result = { successful: result?.successful?.length ?? 0, failed: result?.failed?.length ?? 0 };
      const mediaId = record.successes[0]?.mediaId;
      if (mediaId) record.media = await pollMedia(config, mediaId);
    } catch (error) {
      record.errors.push(`page: ${error?.message ?? error}`);
    }
    resolveFinished(record);
  });
}

/** GET /api/v1/media/:id as a Mastodon client does after an upload: 206 while processing, then 200. */
async function pollMedia(config, mediaId) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const response = await fetch(`${config.baseUrl}/api/v1/media/${mediaId}`, {
      headers: { Authorization: `Bearer ${config.token}` },
    });
    const body = await response.json();
    record.polls.push(response.status);
    if (response.status !== 206) return { status: response.status, body };
    if (Date.now() > deadline) throw new Error(`media ${mediaId} still processing after 90 s: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Whether this browser plays the stored video: its duration and size once the metadata loaded. */
function play(url) {
  return new Promise((resolve, reject) => {
    const video = document.createElement("video");
    video.muted = true;
    video.preload = "metadata";
    video.addEventListener("loadedmetadata", () => resolve({ duration: video.duration, width: video.videoWidth, height: video.videoHeight }));
    video.addEventListener("error", () => reject(new Error(`the video at ${url} does not play: code ${video.error?.code} ${video.error?.message}`)));
    video.src = url;
    document.body.append(video);
  });
}

window.mediaryUppy = { prepare, finished, play };
