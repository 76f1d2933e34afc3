// The employee's page: choose a photo, see it framed at once, move and zoom it, save it. Everything happens
// on this device (local.js: the face found by YuNet in WebAssembly, placed as `framer apply` places it,
// the picture made at full quality); the page's only requests are for its own files. The same page is
// served by `framer serve` and published as static files by `framer publish`.
//
// What it offers comes from site.json beside it (framer.web.site): the frames, their campaigns, and every
// word in each language. The campaign is judged by this device's clock, in the campaign's time zone.
import { Unreadable, analyse, detectorAt, picture, prepareFrame } from "./local.js";

const $ = (id) => document.getElementById(id);
const el = {
  work: $("work"),
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
  share: $("share"),
  saved: $("saved"),
  savedImage: $("saved-image"),
  savedClose: $("saved-close"),
  tools: $("tools"),
  warnings: $("warnings"),
  ...window.FramerEditor.elements(), // the avatar, the round view, zoom, reset, faces
};

const { t, lang, useWords } = window.FramerPage;
// Where the page's scripts, model and runtime are (they travel together: framer publish names their folder
// by their contents, so that a browser may keep them for good).
const BASE = new URL(".", import.meta.url).href;
// The in-app browsers of Zalo, Facebook, Messenger, Instagram and LINE, where a download silently does
// nothing: there the picture is shown to press and hold.
const IN_APP = /\bZalo\b|FBAN|FBAV|FB_IAB|FBIOS|Messenger|Instagram|\bLine\//i;

const state = {
  site: null,
  words: null,
  frames: [],
  frame: null, // the chosen frame's record, prepared (prepareFrame)
  usable: true,
  file: null, // the photo shown, kept to frame it again with another frame
  photo: null, // analyse's answer
  bitmap: null, // the decoded photo, framed again at full quality when saved
  saved: null, // { key, url, blob } of the last picture made
};
const editor = window.FramerEditor.create(el, { t, onDraw: () => forgetSaved() });
let chosen = 0; // the latest photo's number: an older analysis finishing late is dropped
let frameAsked = 0;

// ---- messages to the person --------------------------------------------------------------------------

function showError(text) {
  el.alert.textContent = text;
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

// What went wrong, in the page's words: a file that is not a readable picture (why, by its code, when the
// page can tell: site.json's problems), else something the page could not load (the detector's files,
// when the network dropped before they came).
function problem(error) {
  if (!(error instanceof Unreadable)) return t("offline");
  return (error.code && state.words.problems[error.code]) || t("unreadable");
}

// ---- the campaign, by this device's clock in the campaign's time zone -------------------------------

function todayIn(zone) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(new Date())
    .reduce((all, p) => ({ ...all, [p.type]: p.value }), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const dayNumber = (iso) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86400000;
const isoOf = (n) => new Date(n * 86400000).toISOString().slice(0, 10);

function day(iso) {
  return state.words.date_format === "dd/mm/yyyy" ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : iso;
}

/** Where the frame's campaign stands today: { phase, message, usable } (framer.campaign's sentences). */
function campaignStatus(frame) {
  const c = frame.campaign;
  if (!c) return { phase: "none", message: "", usable: true };
  const today = dayNumber(state.site.today || todayIn(c.timezone));
  const start = dayNumber(c.start);
  const end = dayNumber(c.end);
  const span = t("campaign_span", { start: day(c.start), end: day(c.end), timezone: (c.zone || {})[lang] || c.timezone });
  const title = frame.title;
  const extra = (phase) => (frame.messages && frame.messages[phase] ? ` ${frame.messages[phase]}` : "");
  if (today < start) {
    const n = start - today;
    const forms = state.words.campaign_in_days;
    const when = n === 1 ? t("campaign_tomorrow") : (n === 1 ? forms.one : forms.other).split("{n}").join(String(n));
    const message = t("campaign_before", { frame: title, span, when, start: day(c.start) });
    return { phase: "before", message: message + extra("before"), usable: true };
  }
  if (today > end) {
    const anyway = state.site.ignore_window;
    const message = t(anyway ? "campaign_ended_anyway" : "campaign_ended", { frame: title, span });
    return { phase: "after", message: message + extra("after"), usable: anyway };
  }
  const key = today === end ? "campaign_last_day" : "campaign_during";
  const message = `${t(key, { n: today - start + 1, length: end - start + 1, frame: title, span })} ${t(
    "campaign_switch_back",
    { date: day(isoOf(end + 1)) },
  )}`;
  return { phase: "during", message: message + extra("during"), usable: true };
}

function showCampaign(status) {
  if (!status.message) {
    el.campaign.hidden = true;
    return;
  }
  el.campaign.dataset.phase = status.phase;
  el.campaignText.textContent = status.message;
  el.campaign.hidden = false;
}

// ---- frames --------------------------------------------------------------------------------------------

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

// The "choose a photo" invitation over the frame's window.
function placeInvitation(frame) {
  const [W, H] = frame.size;
  const [x, y, w, h] = frame.window;
  el.empty.style.left = `${(100 * x) / W}%`;
  el.empty.style.top = `${(100 * y) / H}%`;
  el.empty.style.width = `${(100 * w) / W}%`;
  el.empty.style.height = `${(100 * h) / H}%`;
}

async function chooseFrame(record, reframe) {
  const asked = ++frameAsked;
  const status = campaignStatus(record);
  showCampaign(status);
  placeInvitation(record);
  // After its campaign a frame frames no more photos (the campaign line says so): nothing invites it.
  state.usable = status.usable;
  el.input.disabled = !status.usable;
  el.choose.classList.toggle("disabled", !status.usable);
  el.choose.setAttribute("aria-disabled", String(!status.usable));
  el.empty.hidden = !status.usable;
  let frame;
  try {
    frame = await prepareFrame(record);
  } catch (_) {
    if (asked === frameAsked) showError(t("offline"));
    return;
  }
  if (asked !== frameAsked) return;
  state.frame = frame;
  editor.setFrame(frame, frame.image);
  if (!status.usable) {
    editor.clear();
    hideSaving();
    return;
  }
  if (reframe && state.file) send(state.file, { keepFace: true });
}

// ---- the photo -------------------------------------------------------------------------------------------

async function send(file, { keepFace = false } = {}) {
  if (!state.usable || !state.frame) return;
  const mine = ++chosen;
  clearError();
  setBusy(true);
  let found;
  try {
    found = await analyse(file, state.frame, BASE);
  } catch (error) {
    if (mine !== chosen) return;
    setBusy(false);
    showError(problem(error));
    return;
  }
  if (mine !== chosen) return;
  // Kept to frame again with another frame: the photo shown, never a file that could not be read.
  state.file = file;
  showPhoto(found, keepFace);
  setBusy(false);
}

function showPhoto({ photo, preview, bitmap }, keepFace) {
  const face = keepFace ? editor.face() + 1 : 1;
  state.photo = photo;
  state.bitmap = bitmap;
  forgetSaved();
  document.body.classList.add("has-photo");
  el.stage.classList.add("has-photo");
  el.tools.hidden = false;
  el.choose.classList.remove("primary");
  el.choose.firstElementChild.textContent = t("choose_another");
  el.download.classList.add("ready");
  el.download.removeAttribute("aria-disabled");
  el.download.download = photo.download_name;
  el.download.href = "#";
  el.share.hidden = !canShare();
  // "Several faces: the largest was framed" would be untrue once another is picked: the faces chooser
  // says it instead. The other notes stand whatever the person does.
  const notes = photo.warnings.filter((code) => code !== "several_faces");
  el.warnings.replaceChildren(
    ...notes.map((code) => {
      const item = document.createElement("li");
      item.textContent = state.words.warnings[code] || code;
      return item;
    }),
  );
  editor.setPhoto(photo, preview, { face });
}

// ---- saving: a download where it works, the picture to press and hold in in-app browsers, or a share ----

function forgetSaved() {
  if (state.saved) URL.revokeObjectURL(state.saved.url);
  state.saved = null;
}

function hideSaving() {
  el.download.classList.remove("ready");
  el.download.setAttribute("aria-disabled", "true");
  el.download.removeAttribute("href");
  el.share.hidden = true;
}

/** The picture as the editor shows it, made once per placement. */
async function made() {
  const value = editor.value();
  const key = JSON.stringify([state.frame.name, value]);
  if (state.saved && state.saved.key === key) return state.saved;
  const blob = await picture(state.bitmap, state.photo, state.frame, value);
  forgetSaved();
  state.saved = { key, blob, url: URL.createObjectURL(blob) };
  return state.saved;
}

const inApp = () => IN_APP.test(navigator.userAgent);

function canShare() {
  try {
    const probe = new File([new Blob()], "x.jpg", { type: "image/jpeg" });
    return Boolean(navigator.canShare && navigator.canShare({ files: [probe] }));
  } catch (_) {
    return false;
  }
}

el.download.addEventListener("click", async (event) => {
  // Nothing to save before a photo, nor in a frame whose campaign has ended: the photo another frame
  // framed is still in hand then, and a link without an address still hears a click.
  if (!state.photo || !state.usable) {
    event.preventDefault();
    return;
  }
  // The link's address is the picture, made now: the first click makes it, then follows it.
  if (state.saved && el.download.href === state.saved.url && !inApp()) return;
  event.preventDefault();
  setBusy(true);
  let saved;
  try {
    saved = await made();
  } catch (error) {
    setBusy(false);
    showError(problem(error));
    return;
  }
  setBusy(false);
  if (inApp()) {
    showSaved(saved);
    return;
  }
  el.download.href = saved.url;
  el.download.click();
});

el.share.addEventListener("click", async () => {
  if (!state.photo || !state.usable) return;
  try {
    const saved = await made();
    const file = new File([saved.blob], state.photo.download_name, { type: "image/jpeg" });
    await navigator.share({ files: [file] });
  } catch (_) {
    // the person closed the share sheet: nothing to say
  }
});

function showSaved(saved) {
  el.savedImage.src = saved.url;
  el.saved.hidden = false;
  el.savedImage.scrollIntoView({ block: "start" });
}

el.savedClose.addEventListener("click", () => {
  el.saved.hidden = true;
});

// ---- choosing a photo: the button (camera or gallery on a phone), or a file dropped ----------------------

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

// ---- start ------------------------------------------------------------------------------------------------

async function start() {
  const dpr = Math.min(3, Math.max(1, window.devicePixelRatio || 1));
  el.round.width = Math.round(176 * dpr);
  el.round.height = Math.round(176 * dpr);
  try {
    const response = await fetch("site.json", { cache: "no-cache" });
    if (!response.ok) throw new Error(String(response.status));
    state.site = await response.json();
  } catch (_) {
    showError("site.json?");
    return;
  }
  state.words = state.site.words[lang] || state.site.words.vi;
  useWords(state.words, "title");
  if (inApp()) el.work.dataset.inApp = "true";
  state.frames = state.site.frames || [];
  const first = state.frames.find((f) => f.name === state.site.default) || state.frames[0];
  if (first) await chooseFrame(first, false);
  showFrameChoice();
  detectorAt(BASE).catch(() => {}); // the model loads while the person picks a photo
  el.work.dataset.ready = "true";
}

start();
