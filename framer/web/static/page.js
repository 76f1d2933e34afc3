// What both of framer's pages share (the employee's, app.js, and the review page, review.js): the page's
// language (<html lang>, set by the server, or the browser's), its words (site.json, or the review page's
// /api/messages), the address of a request in
// that language, an error answer in words, and an image loaded.
"use strict";

window.FramerPage = (() => {
  // ?lang= (the page's switch), else the language the server chose (<html lang>), else, on a page a static
  // host serves (<html data-lang="auto">), the first of the browser's languages framer speaks; Vietnamese
  // first.
  const html = document.documentElement;
  const asked = new URLSearchParams(window.location.search).get("lang");
  const browser = () => (navigator.languages || [navigator.language || ""]).map((l) => l.slice(0, 2).toLowerCase());
  let lang;
  if (asked === "vi" || asked === "en") lang = asked;
  else if (html.dataset.lang === "auto") lang = browser().find((l) => l === "vi" || l === "en") || "vi";
  else lang = html.lang === "en" ? "en" : "vi";
  html.lang = lang;
  let words = {};

  // A word by its key, placeholders filled in; a key the server does not have shows as nothing (the
  // browser tests check that every key a page uses is there, in both languages).
  function t(key, values) {
    let text = Object.prototype.hasOwnProperty.call(words, key) ? words[key] : "";
    if (!text) console.warn(`framer: no words for "${key}"`);
    for (const [name, value] of Object.entries(values || {})) text = text.split(`{${name}}`).join(String(value));
    return text;
  }

  // The served words put in place: every [data-msg] and [data-msg-label], the title (`titleKey`), and
  // the language switch, the one in use marked and the other one the way to it.
  function useWords(served, titleKey) {
    words = served || {};
    for (const node of document.querySelectorAll("[data-msg]")) node.textContent = t(node.dataset.msg);
    for (const node of document.querySelectorAll("[data-msg-label]")) {
      node.setAttribute("aria-label", t(node.dataset.msgLabel));
    }
    document.title = t(titleKey);
    const current = document.getElementById(`lang-${lang}`);
    current.setAttribute("aria-current", "true");
    current.removeAttribute("href");
    document.getElementById("langs").hidden = false;
  }

  const api = (path) => `${path}${path.includes("?") ? "&" : "?"}lang=${lang}`;

  // The words of an error answer ({"error": ...}), else the page's own for "no answer".
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

  return { lang, t, useWords, api, errorText, loadImage };
})();
