// framer review --serve: every photo of a batch as a card, the ones to check first. A card opens the
// editor (editor.js, the serve page's) on the original photo as it is framed today; Save frames it again
// on the server, as framer apply --adjust would, and the card shows the new picture. Every word comes
// from /api/messages, in the page's language (page.js, shared with the serve page).
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const el = {
    board: $("board"),
    langs: $("langs"),
    alert: $("alert"),
    groups: $("groups"),
    nothing: $("nothing"),
    countPhotos: $("count-photos"),
    countProblems: $("count-problems"),
    countChecked: $("count-checked"),
    adjustFile: $("adjust-file"),
    rerun: $("rerun-command"),
    settingsUnknown: $("settings-unknown"),
    name: $("filter-name"),
    folder: $("filter-folder"),
    status: $("filter-status"),
    dialog: $("editor"),
    title: $("editor-title"),
    editorAlert: $("editor-alert"),
    stage: $("stage"),
    save: $("save"),
    saveStatus: $("save-status"),
    close: $("close"),
    prev: $("prev"),
    next: $("next"),
  };
  const editorEl = window.FramerEditor.elements(); // the review page has no round view: round is null

  const { t, api, errorText, loadImage } = window.FramerPage;
  let groups = {};
  const rows = new Map(); // file -> the photo's row from /api/photos
  const cards = new Map(); // file -> its card
  let current = null; // the file of the card the keys are on
  let editing = null; // the file open in the editor
  let opened = 0; // the latest editor opening: an older answer arriving late is dropped
  const editor = window.FramerEditor.create(editorEl, { t });

  // ---- requests --------------------------------------------------------------------------------

  async function request(path, body) {
    let response;
    try {
      response = await fetch(api(path), {
        method: body ? "POST" : "GET",
        headers: body ? { "Content-Type": "application/json", Accept: "application/json" } : { Accept: "application/json" },
        body: body ? JSON.stringify(body) : undefined,
        credentials: "same-origin",
      });
    } catch (_) {
      throw new Error(t("offline"));
    }
    if (!response.ok) throw new Error(await errorText(response));
    return response.json();
  }

  // ---- the board: counts, groups, cards ---------------------------------------------------------

  function showCounts(counts) {
    el.countPhotos.textContent = t("count_photos", { n: counts.photos });
    el.countProblems.textContent = t("count_problems", { n: counts.problems });
    el.countChecked.textContent = t("count_checked", { n: counts.checked });
  }

  function card(row) {
    const node = document.createElement("article");
    node.className = "rcard";
    node.tabIndex = -1;
    node.dataset.file = row.file;
    node.dataset.id = String(row.id);
    node.dataset.group = row.group;
    node.dataset.status = row.status;
    node.dataset.folder = row.folder;
    node.dataset.problem = String(row.problem);
    node.dataset.checked = String(row.checked);
    node.classList.toggle("is-checked", row.checked);
    let picture;
    if (row.thumb) {
      picture = document.createElement("img");
      picture.className = "thumb";
      picture.loading = "lazy";
      picture.alt = row.name;
      picture.src = row.thumb;
    } else {
      picture = document.createElement("div");
      picture.className = "thumb none";
      picture.textContent = t("no_output");
    }
    const name = document.createElement("p");
    name.className = "name";
    name.textContent = row.name;
    const folder = document.createElement("p");
    folder.className = "folder";
    folder.textContent = row.folder;
    const reasons = document.createElement("ul");
    for (const text of row.reasons || []) {
      const item = document.createElement("li");
      item.textContent = text;
      reasons.append(item);
    }
    node.append(picture, name);
    if (row.folder) node.append(folder);
    if (reasons.childElementCount) node.append(reasons);
    if (row.checked) {
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = t("checked_badge");
      node.append(badge);
    }
    const actions = document.createElement("div");
    actions.className = "card-actions";
    if (row.editable) {
      const fix = document.createElement("button");
      fix.type = "button";
      fix.className = "button primary fix";
      fix.textContent = t("fix");
      fix.addEventListener("click", () => openEditor(row.file));
      actions.append(fix);
    }
    // The badge says the state; the button, what a click does (never a state that reads as an action).
    const mark = document.createElement("button");
    mark.type = "button";
    mark.className = "button mark";
    mark.textContent = row.checked ? t("unmark_checked") : t("mark_checked");
    mark.addEventListener("click", () => markChecked(row.file, !rows.get(row.file).checked));
    actions.append(mark);
    node.append(actions);
    node.addEventListener("focus", () => setCurrent(row.file, false));
    return node;
  }

  function render(list) {
    el.groups.replaceChildren();
    const order = Object.keys(groups);
    const byGroup = new Map(order.map((key) => [key, []]));
    for (const row of list) {
      if (!byGroup.has(row.group)) byGroup.set(row.group, []);
      byGroup.get(row.group).push(row);
    }
    for (const [key, members] of byGroup) {
      if (!members.length) continue;
      const section = document.createElement("section");
      section.className = "group";
      section.dataset.group = key;
      section.classList.toggle("problem", Boolean(groups[key] && groups[key].problem));
      const heading = document.createElement("h2");
      heading.textContent = (groups[key] && groups[key].heading) || key;
      section.append(heading);
      if (groups[key] && groups[key].hint) {
        const hint = document.createElement("p");
        hint.className = "hint";
        hint.textContent = groups[key].hint;
        section.append(hint);
      }
      const grid = document.createElement("div");
      grid.className = "cards";
      for (const row of members) {
        const node = card(row);
        cards.set(row.file, node);
        grid.append(node);
      }
      section.append(grid);
      el.groups.append(section);
    }
  }

  function update(row) {
    rows.set(row.file, row);
    const old = cards.get(row.file);
    const node = card(row);
    if (old) old.replaceWith(node);
    cards.set(row.file, node);
    if (row.file === current) node.classList.add("current");
    if (row.counts) showCounts(row.counts);
    applyFilters();
  }

  // ---- filters -----------------------------------------------------------------------------------

  function showFolders(list) {
    const folders = [...new Set(list.map((r) => r.folder))].sort();
    const all = document.createElement("option");
    all.value = "*";
    all.textContent = t("all_folders");
    el.folder.replaceChildren(all);
    for (const folder of folders) {
      const option = document.createElement("option");
      option.value = folder;
      option.textContent = folder || "/";
      el.folder.append(option);
    }
    el.folder.closest(".filter").hidden = folders.length < 2;
  }

  function applyFilters() {
    const name = el.name.value.trim().toLowerCase();
    const folder = el.folder.value || "*";
    const status = el.status.value;
    let shown = 0;
    for (const [file, node] of cards) {
      const row = rows.get(file);
      const visible =
        (!name || file.toLowerCase().includes(name)) &&
        (folder === "*" || row.folder === folder) &&
        (status === "all" || (status === "problems" ? row.problem : row.checked));
      node.hidden = !visible;
      if (visible) shown++;
    }
    for (const section of el.groups.querySelectorAll(".group")) {
      section.hidden = !section.querySelector(".rcard:not([hidden])");
    }
    el.nothing.hidden = shown > 0;
  }

  for (const input of [el.name, el.folder, el.status]) input.addEventListener("input", applyFilters);
  el.name.form.addEventListener("submit", (event) => event.preventDefault());

  // ---- the keys: next / previous photo to check ---------------------------------------------------

  function visibleCards() {
    return [...el.groups.querySelectorAll(".rcard:not([hidden])")];
  }

  // The cards the keys go through: the visible ones to check, or every visible one if none is.
  function stops() {
    const visible = visibleCards();
    const problems = visible.filter((node) => node.dataset.problem === "true");
    return problems.length ? problems : visible;
  }

  function setCurrent(file, focus = true) {
    if (current && cards.get(current)) cards.get(current).classList.remove("current");
    current = file;
    const node = file && cards.get(file);
    if (!node) return;
    node.classList.add("current");
    if (focus) {
      node.focus({ preventScroll: true });
      node.scrollIntoView({ block: "nearest" });
    }
  }

  // The card `step` stops after (or before) the current one, in the page's order.
  function neighbour(step) {
    const list = stops();
    if (!list.length) return null;
    const all = visibleCards();
    const here = current && cards.get(current) ? all.indexOf(cards.get(current)) : -1;
    if (step > 0) return (list.find((node) => all.indexOf(node) > here) || list[list.length - 1]).dataset.file;
    const before = list.filter((node) => all.indexOf(node) < here);
    return (here < 0 ? list[0] : before[before.length - 1] || list[0]).dataset.file;
  }

  document.addEventListener("keydown", (event) => {
    if (el.dialog.open || event.altKey || event.ctrlKey || event.metaKey) return;
    const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement;
    if (typing) return;
    if (event.key === "j" || event.key === "ArrowRight" || event.key === "ArrowDown") {
      setCurrent(neighbour(1));
    } else if (event.key === "k" || event.key === "ArrowLeft" || event.key === "ArrowUp") {
      setCurrent(neighbour(-1));
    } else if (event.key === "Enter" && current && event.target === cards.get(current)) {
      if (rows.get(current).editable) openEditor(current);
    } else if (event.key === "x" && current) {
      markChecked(current, !rows.get(current).checked);
    } else {
      return;
    }
    event.preventDefault();
  });

  // ---- the editor --------------------------------------------------------------------------------

  async function openEditor(file) {
    const mine = ++opened;
    const row = rows.get(file);
    editing = file;
    setCurrent(file, false);
    el.title.textContent = t("editing", { name: row.file });
    el.editorAlert.textContent = "";
    el.saveStatus.textContent = "";
    el.save.disabled = true;
    editor.clear();
    if (!el.dialog.open) el.dialog.showModal();
    el.stage.setAttribute("aria-busy", "true");
    let photo;
    let preview;
    try {
      photo = await request(`/api/photos/${row.id}/edit`);
      preview = await loadImage(photo.preview);
    } catch (error) {
      if (mine !== opened) return;
      el.stage.setAttribute("aria-busy", "false");
      el.editorAlert.textContent = error.message;
      return;
    }
    if (mine !== opened) return;
    el.stage.setAttribute("aria-busy", "false");
    editor.setPhoto(photo, preview, photo.start || photo.adjust);
    el.save.disabled = false;
    el.dialog.dataset.ready = "true";
    editorEl.avatar.focus({ preventScroll: true });
  }

  async function save() {
    const file = editing;
    if (!file || !editor.hasPhoto()) return;
    const placed = editor.value();
    el.save.disabled = true;
    el.saveStatus.textContent = t("saving");
    el.editorAlert.textContent = "";
    el.dialog.dataset.saved = "false";
    try {
      const row = await request("/api/adjust", { file, ...placed });
      update(row);
      const again = (row.warnings || []).includes("up_to_date");
      el.saveStatus.textContent = again ? t("up_to_date") : t("saved", { path: row.output || row.file });
      el.dialog.dataset.saved = "true";
    } catch (error) {
      el.saveStatus.textContent = "";
      el.editorAlert.textContent = error.message;
    } finally {
      el.save.disabled = false;
    }
  }

  async function markChecked(file, checked) {
    try {
      update(await request("/api/checked", { file, checked }));
      el.alert.textContent = "";
    } catch (error) {
      el.alert.textContent = error.message;
    }
  }

  function step(direction) {
    const file = neighbour(direction);
    if (file && file !== editing && rows.get(file).editable) openEditor(file);
  }

  el.save.addEventListener("click", save);
  el.close.addEventListener("click", () => el.dialog.close());
  el.prev.addEventListener("click", () => step(-1));
  el.next.addEventListener("click", () => step(1));
  el.dialog.addEventListener("close", () => {
    editing = null;
    opened++;
    delete el.dialog.dataset.ready;
    if (current && cards.get(current)) cards.get(current).focus({ preventScroll: true });
  });

  // ---- start -------------------------------------------------------------------------------------

  async function start() {
    // The key is in a cookie now (the server set it): it need not stay on the screen, nor in a link copied.
    const here = new URL(window.location.href);
    if (here.searchParams.has("token")) {
      here.searchParams.delete("token");
      window.history.replaceState(null, "", here.pathname + here.search + here.hash);
    }
    try {
      const served = await request("/api/messages");
      window.FramerPage.useWords(served.messages, "review_title");
      groups = served.groups || {};
    } catch (error) {
      el.alert.textContent = error.message;
      return;
    }
    try {
      const [frame, data] = await Promise.all([request("/api/frame"), request("/api/photos")]);
      editor.setFrame(frame, await loadImage(frame.image));
      for (const row of data.photos) rows.set(row.file, row);
      showCounts(data.counts);
      el.adjustFile.textContent = t("adjust_file", { path: data.adjust_file });
      el.rerun.textContent = `framer apply … --adjust ${data.adjust_file}`;
      el.settingsUnknown.hidden = data.settings_known;
      showFolders(data.photos);
      render(data.photos);
      applyFilters();
    } catch (error) {
      el.alert.textContent = error.message;
    }
    el.board.setAttribute("aria-busy", "false");
    el.board.dataset.ready = "true";
  }

  start();
})();
