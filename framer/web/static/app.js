// framer serve: the employee's page. Choose a photo, see it framed at once, move and zoom it, download it.
//
// The server finds the faces and says where each one goes (a placement); the editor (editor.js, shared with
// the review page) draws everything the person does after that, with no request. The download link asks
// the server for exactly the placement shown, rendered at full quality.
// Every word comes from /api/messages, in the page's language (page.js, shared with the review page).
"use strict";

(() => {
  const BUSY_RETRIES = 5;

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

  const { t, api, errorText, loadImage } = window.FramerPage;

  const state = {
    frames: [],
    frame: null, // the chosen frame's record from /api/frames
    frameImage: null, // its PNG, decoded
    file: null, // the photo as chosen, kept to frame it again with another frame
    photo: null, // POST /api/photos's answer
  };
  const editor = window.FramerEditor.create(el, {
    t,
    onDraw: (placed) => {
      el.download.href = downloadURL(placed);
    },
  });
  let upload = 0; // the latest upload's number: an older answer arriving late is dropped
  let frameRequested = 0;

  // ---- requests --------------------------------------------------------------------------------

  async function getJSON(path) {
    const response = await fetch(api(path), { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(await errorText(response));
    return response.json();
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
    editor.setFrame(frame, image);
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
    state.photo = photo;
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
    editor.setPhoto(photo, preview, { face: keepFace ? editor.face() + 1 : 1 });
  }

  function downloadURL(placed) {
    const q = new URLSearchParams({
      face: String(placed.face),
      zoom: String(placed.zoom),
      dx: String(placed.dx),
      dy: String(placed.dy),
      frame: state.frame.name,
      format: "jpg",
    });
    return `/api/photos/${encodeURIComponent(state.photo.id)}/framed?${q}`;
  }

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
    const dpr = Math.min(3, Math.max(1, window.devicePixelRatio || 1));
    el.round.width = Math.round(176 * dpr);
    el.round.height = Math.round(176 * dpr);
    try {
      window.FramerPage.useWords((await getJSON("/api/messages")).messages, "title");
    } catch (error) {
      showError(error.message);
      return;
    }
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
