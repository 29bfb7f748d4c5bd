#!/usr/bin/env python3
"""The client of bench/noisy-neighbour.sh. Standard library only.

  noisy-neighbour.py URL VICTIM_TOKEN NOISY_TOKEN DIR IMAGES

DIR holds victim.png, victim.webm and the noisy account's files (noisy-*). First the victim
alone: IMAGES uploads of victim.png one after the other (POST /api/v2/media, request to 200) and
victim.webm (request to 202, then GET every 100 ms until 200). Then the same while the noisy
account sends its files from 4 threads, over and over, until the victim is done: the victim
starts once the noisy account has spent its rate limit (its first 429), or after a minute. Prints one line per measure: name idle loaded.
"""

import json
import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid


def upload(base, token, path):
    boundary = uuid.uuid4().hex
    with open(path, "rb") as f:
        data = f.read()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{os.path.basename(path)}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(base + "/api/v2/media", data=body, method="POST", headers={
        "Authorization": "Bearer " + token, "Content-Type": "multipart/form-data; boundary=" + boundary})
    return send(request)


def send(request):
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, None


def get_media(base, token, media_id):
    return send(urllib.request.Request(f"{base}/api/v1/media/{media_id}", headers={"Authorization": "Bearer " + token}))


def victim(base, token, directory, images):
    """Seconds of each image upload, how many did not answer 200, and the WebM's times to 202 and 200."""
    seconds, failures = [], 0
    for _ in range(images):
        started = time.perf_counter()
        status, _ = upload(base, token, os.path.join(directory, "victim.png"))
        failures += status != 200
        seconds.append(time.perf_counter() - started)
    started = time.perf_counter()
    status, media = upload(base, token, os.path.join(directory, "victim.webm"))
    if status != 202:
        return seconds, failures, float("nan"), float("nan")
    accepted = time.perf_counter() - started
    while True:
        status, _ = get_media(base, token, media["id"])
        if status == 200:
            break
        if status != 206:
            return seconds, failures, accepted, float("nan")
        if time.perf_counter() - started > 600:
            raise SystemExit("victim webm not processed within 600 s")
        time.sleep(0.1)
    processed = time.perf_counter() - started
    return seconds, failures, accepted, processed


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main():
    base, victim_token, noisy_token, directory, images = sys.argv[1:6]
    images = int(images)
    noisy_files = sorted(os.path.join(directory, name) for name in os.listdir(directory) if name.startswith("noisy-"))

    idle = victim(base, victim_token, directory, images)

    stop = threading.Event()
    answers = {}
    lock = threading.Lock()

    def noisy(offset):
        i = offset
        while not stop.is_set():
            status, _ = upload(base, noisy_token, noisy_files[i % len(noisy_files)])
            with lock:
                key = (os.path.basename(noisy_files[i % len(noisy_files)]), status)
                answers[key] = answers.get(key, 0) + 1
            i += 1
            if status == 429:
                time.sleep(0.2)

    threads = [threading.Thread(target=noisy, args=(n,), daemon=True) for n in range(4)]
    for thread in threads:
        thread.start()
    # The noisy account spends its whole rate limit first (its jobs queued, its uploads in flight)
    # or sends for a minute, whichever comes first; then the victim starts, the noisy one going on.
    deadline = time.perf_counter() + 60
    while time.perf_counter() < deadline:
        with lock:
            if any(status == 429 for _, status in answers):
                break
        time.sleep(0.1)
    loaded = victim(base, victim_token, directory, images)
    stop.set()
    for thread in threads:
        thread.join(timeout=700)

    print(f"image_p95_ms {p95(idle[0]) * 1000:.0f} {p95(loaded[0]) * 1000:.0f}")
    print(f"image_median_ms {statistics.median(idle[0]) * 1000:.0f} {statistics.median(loaded[0]) * 1000:.0f}")
    print(f"image_failures {idle[1]} {loaded[1]}")
    print(f"webm_202_ms {idle[2] * 1000:.0f} {loaded[2] * 1000:.0f}")
    print(f"webm_200_ms {idle[3] * 1000:.0f} {loaded[3] * 1000:.0f}")
    for (name, status), count in sorted(answers.items()):
        print(f"noisy {name} {status} {count}")


if __name__ == "__main__":
    main()
