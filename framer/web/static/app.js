// framer serve: the employee's page. Choose a photo, see it framed at once, move and zoom it, download it.
//
// The server finds the faces and says where each one goes (a placement); everything the person does after
// that (drag, pinch, wheel, slider, keys) is drawn here, on a canvas, once per animation frame, with no
// request. The download link asks the server for exactly the placement shown, rendered at full quality.
// Every word comes from /api/messages, in the page's language (<html lang>, set by the server).
"use strict";

(() => {
  const EYE_LINE = 0.45; // framer.geometry.EYE_LINE: the anchor zooming keeps still
  const ZOOM_MIN = 0.3;
  const ZOOM_MAX = 3.0;
  const SHIFT_MAX = 1.0;
  const KEY_STEP = 0.02; // an arrow key moves the photo by 2 % of the window (10 % with Shift)
  const KEY_ZOOM = 1.05;
  const BUSY_RETRIES = 5;
  const SEAM = 0.03; // framer.compose.SEAM: the photo fades into the fill over this share of the canvas

  const $ = (id) => document.getElementById(id);
  const el = {
    work: $("work"),
    langs: $("langs"),
    campaign: $("campaign"),
    campaignText: $("campaign-text"),
    frames: $("frames"),
    framesList: $("frames-list"),
    alert: $("alert"),
    stage: $("stage"),
    avatar: $("avatar"),
    empty: $("empty"),
    status: $("status"),
    input: $("photo"),
    choose: $("choose"),
    download: $("download"),
    tools: $("tools"),
    zoom: $("zoom"),
    zoomIn: $("zoom-in"),
    zoomOut: $("zoom-out"),
    reset: $("reset"),
    faces: $("faces"),
    facesPhoto: $("faces-photo"),
    facesLabel: $("faces-label"),
    facesCanvas: $("faces-canvas"),
    round: $("round"),
    warnings: $("warnings"),
  };
  const ctx = el.avatar.getContext("2d");
  const roundCtx = el.round.getContext("2d");

  const lang = document.documentElement.lang === "en" ? "en" : "vi";
  let words = {};

  const state = {
    frames: [],
    frame: null, // the chosen frame's record from /api/frames
    frameImage: null, // its PNG, decoded
    file: null, // the photo as chosen, kept to frame it again with another frame
    photo: null, // POST /api/photos's answer
    preview: null, // the preview image, decoded
    fill: null, // the preview's edges stretched and blurred: what shows past the photo's edges
    sharp: null, // the preview with its edges faded out, drawn over the fill
    fillColor: "#e6ebf2",
    face: 0, // 0 = the largest
    zoom: 1,
    dx: 0,
    dy: 0,
  };
  let upload = 0; // the latest upload's number: an older answer arriving late is dropped
  let frameRequested = 0;

  // ---- words -------------------------------------------------------------------------------------

  // A word by its key, placeholders filled in; a key the server does not have shows as nothing (the
  // browser tests check that every key the page uses is there, in both languages).
  function t(key, values) {
    let text = Object.prototype.hasOwnProperty.call(words, key) ? words[key] : "";
    if (!text) console.warn(`framer: no words for "${key}"`);
    for (const [name, value] of Object.entries(values || {})) text = text.split(`{${name}}`).join(String(value));
    return text;
  }

  function applyWords() {
    for (const node of document.querySelectorAll("[data-msg]")) node.textContent = t(node.dataset.msg);
    for (const node of document.querySelectorAll("[data-msg-label]")) {
      node.setAttribute("aria-label", t(node.dataset.msgLabel));
    }
    document.title = t("title");
    // The language in use is marked, the other one is the way to it.
    const current = $(`lang-${lang}`);
    current.setAttribute("aria-current", "true");
    current.removeAttribute("href");
    el.langs.hidden = false;
  }

  function api(path) {
    return `${path}${path.includes("?") ? "&" : "?"}lang=${lang}`;
  }

  async function getJSON(path) {
    const response = await fetch(api(path), { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(await errorText(response));
    return response.json();
  }

  async function errorText(response) {
    try {
      const body = await response.json();
      if (body && typeof body.error === "string" && body.error) return body.error;
    } catch (_) {
      // not JSON: say it in the page's words below
    }
    return t("offline");
  }

  function loadImage(src) {
    return new Promise((resolve, reject) => {
      const image = new Image();
      image.decoding = "async";
      image.onload = () => resolve(image);
      image.onerror = () => reject(new Error(t("offline")));
      image.src = src;
    });
  }

  // ---- messages to the person ----------------------------------------------------------------------

  function showError(text) {
    el.alert.textContent = text;
    // On a phone the person may be down at the buttons: bring the message into view.
    const box = el.alert.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) el.alert.scrollIntoView({ block: "center" });
  }

  function clearError() {
    el.alert.textContent = "";
  }

  function setBusy(busy) {
    el.work.setAttribute("aria-busy", busy ? "true" : "false");
    el.status.textContent = busy ? t("working") : "";
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // ---- frames and the campaign --------------------------------------------------------------------

  function showCampaign(frame) {
    const status = frame && frame.status;
    if (!status || !status.message) {
      el.campaign.hidden = true;
      return;
    }
    el.campaign.dataset.phase = status.phase || "none";
    el.campaignText.textContent = status.message;
    el.campaign.hidden = false;
  }

  function showFrameChoice() {
    el.framesList.replaceChildren();
    if (state.frames.length < 2) {
      el.frames.hidden = true;
      return;
    }
    for (const frame of state.frames) {
      const label = document.createElement("label");
      label.className = "frame-option";
      const radio = document.createElement("input");
      radio.type = "radio";
      radio.name = "frame";
      radio.value = frame.name;
      radio.checked = state.frame && frame.name === state.frame.name;
      radio.addEventListener("change", () => {
        if (radio.checked) chooseFrame(frame, true);
      });
      const text = document.createElement("span");
      text.textContent = frame.title || frame.name;
      label.append(radio, text);
      el.framesList.append(label);
    }
    el.frames.hidden = false;
  }

  // Put the "choose a photo" invitation over the frame's window.
  function placeInvitation(frame) {
    const [W, H] = frame.size;
    const [x, y, w, h] = frame.window;
    el.empty.style.left = `${(100 * x) / W}%`;
    el.empty.style.top = `${(100 * y) / H}%`;
    el.empty.style.width = `${(100 * w) / W}%`;
    el.empty.style.height = `${(100 * h) / H}%`;
  }

  async function chooseFrame(frame, reframe) {
    const asked = ++frameRequested;
    state.frame = frame;
    showCampaign(frame);
    placeInvitation(frame);
    // After its campaign a frame frames no more photos (the campaign line says so): no button invites it.
    const usable = !frame.status || frame.status.usable !== false;
    el.input.disabled = !usable;
    el.choose.classList.toggle("disabled", !usable);
    el.choose.setAttribute("aria-disabled", String(!usable));
    el.empty.hidden = !usable;
    let image;
    try {
      image = await loadImage(frame.image);
    } catch (error) {
      if (asked === frameRequested) showError(error.message);
      return;
    }
    if (asked !== frameRequested) return;
    state.frameImage = image;
    el.avatar.width = frame.size[0];
    el.avatar.height = frame.size[1];
    schedule();
    // Another frame has another window: the server places the faces again.
    if (reframe && state.file) send(state.file, { keepFace: true });
  }

  // ---- the photo ---------------------------------------------------------------------------------

  async function send(file, { keepFace = false } = {}) {
    const mine = ++upload;
    state.file = file;
    clearError();
    setBusy(true);
    for (let attempt = 0; ; attempt++) {
      const form = new FormData();
      form.append("photo", file, file.name || "photo");
      if (state.frame) form.append("frame", state.frame.name);
      let response;
      try {
        response = await fetch(api("/api/photos"), { method: "POST", body: form });
      } catch (_) {
        if (mine !== upload) return;
        setBusy(false);
        showError(t("offline"));
        return;
      }
      if (mine !== upload) return;
      if (response.status === 503 && attempt < BUSY_RETRIES) {
        // Busy: say so, wait as long as the server asks, and try again by ourselves.
        const seconds = Math.min(60, Math.max(1, parseInt(response.headers.get("Retry-After"), 10) || 2));
        showError(`${await errorText(response)} ${t("busy_retry", { seconds })}`);
        await sleep(seconds * 1000);
        if (mine !== upload) return;
        continue;
      }
      if (!response.ok) {
        const text = await errorText(response);
        if (mine !== upload) return;
        setBusy(false);
        showError(text);
        return;
      }
      let photo;
      let preview;
      try {
        photo = await response.json();
        preview = await loadImage(photo.preview);
      } catch (error) {
        if (mine !== upload) return;
        setBusy(false);
        showError(t("offline"));
        return;
      }
      if (mine !== upload) return;
      clearError();
      showPhoto(photo, preview, keepFace);
      setBusy(false);
      return;
    }
  }

  function showPhoto(photo, preview, keepFace) {
    const face = keepFace && state.face < photo.placements.length ? state.face : 0;
    state.photo = photo;
    state.preview = preview;
    makeFill(preview);
    state.face = face;
    fadeEdges();
    resetNudge();
    document.body.classList.add("has-photo");
    el.stage.classList.add("has-photo");
    el.tools.hidden = false;
    el.choose.classList.remove("primary");
    el.choose.firstElementChild.textContent = t("choose_another");
    el.download.classList.add("ready");
    el.download.removeAttribute("aria-disabled");
    el.download.download = photo.download_name || "";
    // "Several faces: the largest was framed" would be untrue once another is picked: the faces
    // chooser below says it instead. The other notes stand whatever the person does.
    const notes = (photo.warnings_text || []).filter((_, i) => (photo.warnings || [])[i] !== "several_faces");
    el.warnings.replaceChildren(
      ...notes.map((text) => {
        const item = document.createElement("li");
        item.textContent = text;
        return item;
      }),
    );
    showFaces();
    schedule();
  }

  // What shows past the photo's edges: its border pixels stretched outwards, blurred (the server fills
  // that area with a blurred, stretched copy of the photo's edge; this is its look, drawn cheaply: a tiny
  // copy, enlarged smoothly, is a blur).
  function makeFill(image) {
    const long = Math.max(image.naturalWidth, image.naturalHeight);
    const tw = Math.max(1, Math.round((40 * image.naturalWidth) / long));
    const th = Math.max(1, Math.round((40 * image.naturalHeight) / long));
    const tiny = document.createElement("canvas");
    tiny.width = tw;
    tiny.height = th;
    tiny.getContext("2d").drawImage(image, 0, 0, tw, th);
    const fill = document.createElement("canvas");
    fill.width = 3 * tw;
    fill.height = 3 * th;
    const f = fill.getContext("2d");
    f.imageSmoothingEnabled = false;
    f.drawImage(tiny, tw, th);
    f.drawImage(tiny, 0, 0, 1, th, 0, th, tw, th); // left
    f.drawImage(tiny, tw - 1, 0, 1, th, 2 * tw, th, tw, th); // right
    f.drawImage(tiny, 0, 0, tw, 1, tw, 0, tw, th); // top
    f.drawImage(tiny, 0, th - 1, tw, 1, tw, 2 * th, tw, th); // bottom
    f.drawImage(tiny, 0, 0, 1, 1, 0, 0, tw, th);
    f.drawImage(tiny, tw - 1, 0, 1, 1, 2 * tw, 0, tw, th);
    f.drawImage(tiny, 0, th - 1, 1, 1, 0, 2 * th, tw, th);
    f.drawImage(tiny, tw - 1, th - 1, 1, 1, 2 * tw, 2 * th, tw, th);
    const dot = document.createElement("canvas");
    dot.width = 1;
    dot.height = 1;
    const d = dot.getContext("2d");
    d.drawImage(tiny, 0, 0, 1, 1);
    const [r, g, b] = d.getImageData(0, 0, 1, 1).data;
    state.fill = fill;
    state.fillColor = `rgb(${r} ${g} ${b})`;
  }

  // The photo fades into the fill over a short seam where its edge shows, as framer's composer does:
  // SEAM of the canvas, as wide as it is at the chosen face's own scale.
  function fadeEdges() {
    const image = state.preview;
    const w = image.naturalWidth;
    const h = image.naturalHeight;
    const { scale } = state.photo.placements[state.face];
    const seam = Math.max(1, (SEAM * Math.max(...state.frame.size) * state.photo.preview_scale) / scale);
    const sharp = document.createElement("canvas");
    sharp.width = w;
    sharp.height = h;
    const g = sharp.getContext("2d");
    g.drawImage(image, 0, 0);
    g.globalCompositeOperation = "destination-in";
    const ramps = [
      [0, 0, seam, 0],
      [w, 0, w - seam, 0],
      [0, 0, 0, seam],
      [0, h, 0, h - seam],
    ];
    for (const [x0, y0, x1, y1] of ramps) {
      const ramp = g.createLinearGradient(x0, y0, x1, y1);
      ramp.addColorStop(0, "rgb(0 0 0 / 0)");
      ramp.addColorStop(1, "rgb(0 0 0 / 1)");
      g.fillStyle = ramp;
      g.fillRect(0, 0, w, h);
    }
    state.sharp = sharp;
  }

  // ---- several people -----------------------------------------------------------------------------

  function showFaces() {
    const { photo, preview } = state;
    const faces = photo.faces || [];
    for (const mark of el.facesPhoto.querySelectorAll(".face-mark")) mark.remove();
    if (faces.length < 2) {
      el.faces.hidden = true;
      return;
    }
    const [fw, fh] = photo.size;
    const k = Math.min(1, 640 / Math.max(preview.naturalWidth, preview.naturalHeight));
    el.facesCanvas.width = Math.max(1, Math.round(preview.naturalWidth * k));
    el.facesCanvas.height = Math.max(1, Math.round(preview.naturalHeight * k));
    el.facesCanvas.getContext("2d").drawImage(preview, 0, 0, el.facesCanvas.width, el.facesCanvas.height);
    faces.forEach(([x, y, w, h], i) => {
      const mark = document.createElement("button");
      mark.type = "button";
      mark.className = "face-mark";
      mark.setAttribute("aria-label", t("face", { n: i + 1 }));
      mark.setAttribute("aria-pressed", String(i === state.face));
      mark.dataset.face = String(i + 1);
      mark.style.left = `${(100 * (x + w / 2)) / fw}%`;
      mark.style.top = `${(100 * (y + h / 2)) / fh}%`;
      mark.style.width = `${(100 * w) / fw}%`;
      mark.style.height = `${(100 * h) / fh}%`;
      const number = document.createElement("span");
      number.textContent = String(i + 1);
      number.setAttribute("aria-hidden", "true");
      mark.append(number);
      mark.addEventListener("click", () => pickFace(i));
      el.facesPhoto.append(mark);
    });
    el.facesLabel.textContent = t("faces", { count: faces.length });
    el.faces.hidden = false;
  }

  function pickFace(i) {
    if (!state.photo || i >= state.photo.placements.length) return;
    state.face = i;
    fadeEdges();
    resetNudge();
    for (const mark of el.facesPhoto.querySelectorAll(".face-mark")) {
      mark.setAttribute("aria-pressed", String(Number(mark.dataset.face) === i + 1));
    }
    schedule();
  }

  // ---- placement: framer.geometry.nudge, in the browser --------------------------------------------

  function placement() {
    const { scale: s, crop } = state.photo.placements[state.face];
    const [wx, wy, ww, wh] = state.frame.window;
    const ax = wx + ww / 2;
    const ay = wy + EYE_LINE * wh;
    const px = crop[0] + ax / s;
    const py = crop[1] + ay / s;
    const s2 = s * state.zoom;
    return {
      scale: s2,
      x: px - ax / s2 - (state.dx * ww) / s2,
      y: py - ay / s2 - (state.dy * wh) / s2,
    };
  }

  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

  function setZoom(z) {
    state.zoom = clamp(z, ZOOM_MIN, ZOOM_MAX);
    schedule();
  }

  function moveBy(mx, my) {
    // canvas px: the photo follows the pointer
    const [, , ww, wh] = state.frame.window;
    state.dx = clamp(state.dx + mx / ww, -SHIFT_MAX, SHIFT_MAX);
    state.dy = clamp(state.dy + my / wh, -SHIFT_MAX, SHIFT_MAX);
    schedule();
  }

  function resetNudge() {
    state.zoom = 1;
    state.dx = 0;
    state.dy = 0;
    schedule();
  }

  // ---- drawing, once per animation frame ----------------------------------------------------------

  let pending = 0;

  function schedule() {
    if (!pending) pending = requestAnimationFrame(draw);
  }

  function draw() {
    pending = 0;
    const { frame, frameImage, photo, preview } = state;
    if (!frame || !frameImage) return;
    const [W, H] = frame.size;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = "high";
    if (photo && preview) {
      const p = placement();
      const [fw, fh] = photo.size;
      const x = -p.x * p.scale;
      const y = -p.y * p.scale;
      const w = fw * p.scale;
      const h = fh * p.scale;
      ctx.fillStyle = state.fillColor;
      ctx.fillRect(0, 0, W, H);
      if (state.fill) ctx.drawImage(state.fill, x - w, y - h, 3 * w, 3 * h);
      ctx.drawImage(state.sharp || preview, x, y, w, h);
    } else {
      ctx.fillStyle = "#e6ebf2";
      ctx.fillRect(0, 0, W, H);
    }
    ctx.drawImage(frameImage, 0, 0, W, H);
    roundCtx.setTransform(1, 0, 0, 1, 0, 0);
    roundCtx.imageSmoothingQuality = "high";
    roundCtx.clearRect(0, 0, el.round.width, el.round.height);
    roundCtx.drawImage(el.avatar, 0, 0, el.round.width, el.round.height);
    if (photo) {
      el.zoom.value = String(Math.log(state.zoom));
      el.zoom.setAttribute("aria-valuetext", `${Math.round(state.zoom * 100)} %`);
      el.download.href = downloadURL();
    }
  }

  function decimal(v) {
    return String(Math.round(v * 10000) / 10000);
  }

  function downloadURL() {
    const q = new URLSearchParams({
      face: String(state.face + 1),
      zoom: decimal(state.zoom),
      dx: decimal(state.dx),
      dy: decimal(state.dy),
      frame: state.frame.name,
      format: "jpg",
    });
    return `/api/photos/${encodeURIComponent(state.photo.id)}/framed?${q}`;
  }

  // ---- the person's hands: pointer (mouse, touch, pen), wheel, keys -------------------------------

  const pointers = new Map();

  function canvasPerCSS() {
    const box = el.avatar.getBoundingClientRect();
    return box.width ? el.avatar.width / box.width : 1;
  }

  function spread() {
    const [a, b] = [...pointers.values()];
    return { d: Math.hypot(a.x - b.x, a.y - b.y), x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  }

  el.avatar.addEventListener("pointerdown", (event) => {
    if (!state.photo) return;
    event.preventDefault();
    el.avatar.focus({ preventScroll: true });
    el.avatar.setPointerCapture(event.pointerId);
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    el.avatar.classList.add("dragging");
  });

  el.avatar.addEventListener("pointermove", (event) => {
    const last = pointers.get(event.pointerId);
    if (!last || !state.photo) return;
    const k = canvasPerCSS();
    if (pointers.size === 1) {
      moveBy((event.clientX - last.x) * k, (event.clientY - last.y) * k);
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      return;
    }
    const before = spread();
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    const after = spread();
    if (before.d > 0 && after.d > 0) setZoom((state.zoom * after.d) / before.d);
    moveBy((after.x - before.x) * k, (after.y - before.y) * k);
  });

  function release(event) {
    pointers.delete(event.pointerId);
    if (!pointers.size) el.avatar.classList.remove("dragging");
  }

  el.avatar.addEventListener("pointerup", release);
  el.avatar.addEventListener("pointercancel", release);
  el.avatar.addEventListener("lostpointercapture", release);

  el.avatar.addEventListener(
    "wheel",
    (event) => {
      if (!state.photo) return;
      event.preventDefault();
      const step = event.deltaMode === 1 ? 0.05 : event.deltaMode === 2 ? 1 : 0.0015;
      setZoom(state.zoom * Math.exp(-event.deltaY * step));
    },
    { passive: false },
  );

  el.avatar.addEventListener("keydown", (event) => {
    if (!state.photo || event.altKey || event.ctrlKey || event.metaKey) return;
    const [, , ww, wh] = state.frame.window;
    const step = event.shiftKey ? 5 * KEY_STEP : KEY_STEP;
    const moves = {
      ArrowLeft: [-step * ww, 0],
      ArrowRight: [step * ww, 0],
      ArrowUp: [0, -step * wh],
      ArrowDown: [0, step * wh],
    };
    if (moves[event.key]) {
      moveBy(...moves[event.key]);
    } else if (event.key === "+" || event.key === "=") {
      setZoom(state.zoom * KEY_ZOOM);
    } else if (event.key === "-" || event.key === "_") {
      setZoom(state.zoom / KEY_ZOOM);
    } else if (event.key === "0") {
      resetNudge();
    } else {
      return;
    }
    event.preventDefault();
  });

  el.zoom.addEventListener("input", () => setZoom(Math.exp(Number(el.zoom.value))));
  el.zoomIn.addEventListener("click", () => setZoom(state.zoom * 1.1));
  el.zoomOut.addEventListener("click", () => setZoom(state.zoom / 1.1));
  el.reset.addEventListener("click", resetNudge);

  // The download link has no address until there is a photo: a click then does nothing.
  el.download.addEventListener("click", (event) => {
    if (!state.photo) event.preventDefault();
  });

  // ---- choosing a photo: the button (camera or gallery on a phone), or a file dropped -------------

  el.input.addEventListener("change", () => {
    const file = el.input.files && el.input.files[0];
    el.input.value = ""; // the same file chosen again is a change too
    if (file) send(file);
  });

  let dragDepth = 0;
  const hasFiles = (event) => event.dataTransfer && [...event.dataTransfer.types].includes("Files");

  document.addEventListener("dragenter", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dragDepth++;
    el.stage.classList.add("dragover");
  });
  document.addEventListener("dragover", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  });
  document.addEventListener("dragleave", () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (!dragDepth) el.stage.classList.remove("dragover");
  });
  document.addEventListener("drop", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault(); // never let the browser open the file in place of the page
    dragDepth = 0;
    el.stage.classList.remove("dragover");
    const file = event.dataTransfer.files[0];
    if (file) send(file);
  });

  // ---- start --------------------------------------------------------------------------------------

  async function start() {
    // The slider is logarithmic: 1 in its middle, x2 as far to the right as /2 to the left.
    el.zoom.min = String(Math.log(ZOOM_MIN));
    el.zoom.max = String(Math.log(ZOOM_MAX));
    el.zoom.step = "any";
    el.zoom.value = "0";
    const dpr = Math.min(3, Math.max(1, window.devicePixelRatio || 1));
    el.round.width = Math.round(176 * dpr);
    el.round.height = Math.round(176 * dpr);
    try {
      words = (await getJSON("/api/messages")).messages || {};
    } catch (error) {
      showError(error.message);
      return;
    }
    applyWords();
    try {
      const data = await getJSON("/api/frames");
      state.frames = data.frames || [];
      const chosen = state.frames.find((f) => f.name === data.default) || state.frames[0];
      if (chosen) await chooseFrame(chosen, false);
      showFrameChoice();
    } catch (error) {
      showError(error.message);
    }
    el.work.dataset.ready = "true";
  }

  start();
})();
