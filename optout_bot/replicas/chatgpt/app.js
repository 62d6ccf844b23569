// The ChatGPT replica's app (see chatgpt.py): one script draws the whole page from who is
// signed in (/api/auth/session), the URL's fragment (#settings/<Tab>) and the account's
// settings, as the real single-page app does. Widgets behave like the Radix primitives the
// real app is built with: the profile menu opens on pointerdown, tabs activate on mousedown,
// an open dialog hides everything else from assistive technology (aria-hidden) and from the
// pointer, Escape and an outside press close the top-most layer. Elements are created once
// and updated in place, so what a test found stays in the page.
(function () {
  "use strict";

  const mobile = document.documentElement.dataset.layout === "mobile";
  const root = document.getElementById("__next");
  const portals = document.getElementById("portals");

  // [slug in the fragment, tab name, data-testid]
  const TABS = [
    ["General", "General", "general-tab"],
    ["Notifications", "Notifications", "notifications-tab"],
    ["Personalization", "Personalization", "personalization-tab"],
    ["DataControls", "Data controls", "data-controls-tab"],
    ["Security", "Security", "security-tab"],
    ["Account", "Account", "account-tab"],
  ];
  const CHATS = [
    ["6740e3b1-0c4f-8003-a1b2-3c4d5e6f7a8b", "Packing list for a weekend hike"],
    ["6740e3b1-0c4f-8003-b2c3-4d5e6f7a8b9c", "Sourdough starter troubleshooting"],
    ["6740e3b1-0c4f-8003-c3d4-5e6f7a8b9c0d", "Explain HTTP caching headers"],
  ];

  const state = {
    session: null, // {user, accessToken} when signed in
    training: null, // true / false once loaded
    saving: false,
  };
  let uid = 0;
  const id = (prefix) => `${prefix}-:r${(uid++).toString(36)}:`;

  // h("button", {class: "x", "data-testid": "y", onclick: f}, child, "text", ...)
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c !== null && c !== undefined && c !== false) el.append(c);
    }
    return el;
  }

  function api(path, options) {
    const headers = Object.assign({"oai-language": "en-US"}, (options || {}).headers);
    if (state.session) headers.authorization = `Bearer ${state.session.accessToken}`;
    return fetch(path, Object.assign({credentials: "same-origin"}, options, {headers}))
      .then((r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return r.json();
      });
  }

  function initials(name) {
    return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join("");
  }

  // -- layers: dialogs and the menu, top-most last --------------------------------------------

  const layers = [];

  function hideOthers() {
    const top = layers[layers.length - 1];
    for (const el of [root, ...portals.children]) {
      const hide = top !== undefined && el !== top.el;
      if (hide) el.setAttribute("aria-hidden", "true");
      else el.removeAttribute("aria-hidden");
    }
    const modal = layers.some((l) => l.modal);
    document.body.style.pointerEvents = modal ? "none" : "";
  }

  function pushLayer(layer) {
    layers.push(layer);
    portals.append(layer.el);
    hideOthers();
  }

  function popLayer(layer) {
    const i = layers.indexOf(layer);
    if (i < 0) return;
    layers.splice(i, 1);
    layer.el.remove();
    hideOthers();
  }

  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && layers.length) {
      e.preventDefault();
      layers[layers.length - 1].close();
    }
  });
  // A press outside the top-most layer's content (its overlay included) closes it; not a
  // press on what opened it.
  document.addEventListener("pointerdown", (e) => {
    const top = layers[layers.length - 1];
    if (!top || top.content.contains(e.target)) return;
    if (top.trigger && top.trigger.contains(e.target)) return;
    top.close();
  }, true);

  // -- the app ----------------------------------------------------------------------------------

  function profileButton() {
    const user = state.session.user;
    const avatar = h("span", {class: "avatar", "aria-hidden": "true"}, initials(user.name));
    const button = h("button", {
      type: "button",
      class: mobile ? "profile-button compact" : "profile-button",
      id: id("radix"),
      "data-testid": "accounts-profile-button",
      "aria-haspopup": "menu",
      "aria-expanded": "false",
      "data-state": "closed",
      "aria-label": mobile ? "Open profile menu" : null,
    }, avatar, mobile ? null : h("span", {class: "who"},
      h("span", {class: "name"}, user.name), h("span", {class: "plan"}, "Free")));
    // Radix's DropdownMenu trigger: pointerdown (primary button, no Ctrl) toggles the menu,
    // as do Enter, Space and ArrowDown; a click on its own does nothing.
    button.addEventListener("pointerdown", (e) => {
      if (e.button !== 0 || e.ctrlKey) return;
      if (menu) closeMenu();
      else { e.preventDefault(); openMenu(button); }
    });
    button.addEventListener("keydown", (e) => {
      if (["Enter", " ", "ArrowDown"].includes(e.key)) { e.preventDefault(); openMenu(button); }
    });
    return button;
  }

  function composer() {
    return h("form", {class: "composer", onsubmit: (e) => e.preventDefault()},
      h("textarea", {id: "prompt-textarea", rows: "1", placeholder: "Ask anything",
        "aria-label": "Chat with ChatGPT"}));
  }

  function drawApp() {
    root.textContent = "";
    const signedIn = state.session !== null;
    const header = h("header", {class: "page-header"},
      mobile ? h("button", {type: "button", class: "icon-button", "aria-label": "Open sidebar",
        "data-testid": "open-sidebar-button"}, "\u2261") : null,
      h("span", {class: "model"}, "ChatGPT"),
      h("div", {class: "header-end"}, signedIn
        ? (mobile ? profileButton() : null)
        : [h("button", {type: "button", class: "btn btn-primary", "data-testid": "login-button",
            onclick: () => { location.href = "/auth/login"; }}, "Log in"),
           h("button", {type: "button", class: "btn", "data-testid": "signup-button",
             onclick: () => { location.href = "/auth/login"; }}, "Sign up")]));
    const sidebar = mobile ? null : h("nav", {class: "sidebar", "aria-label": "Chat history"},
      h("a", {href: "/", class: "new-chat", "data-testid": "create-new-chat-button"}, "New chat"),
      signedIn ? [h("h2", {class: "history-title"}, "Chats"),
        h("ol", {class: "history"}, CHATS.map(([cid, title]) =>
          h("li", {}, h("a", {href: `/c/${cid}`}, title))))]
        : h("p", {class: "muted"}, "Log in to save your chat history."),
      h("div", {class: "sidebar-end"}, signedIn ? profileButton() : null));
    const main = h("main", {class: "main"}, header,
      h("div", {class: "thread"}, h("h1", {}, "What can I help with?"), composer()),
      h("p", {class: "disclaimer"}, "ChatGPT can make mistakes. Check important info."));
    root.append(h("div", {class: "app"}, sidebar, main));
  }

  // -- the profile menu ---------------------------------------------------------------------------

  let menu = null;

  function openMenu(trigger) {
    if (menu) return;
    const item = (text, attrs, action) => h("div", Object.assign({
      role: "menuitem", tabindex: "-1", class: "menu-item",
      onclick: () => { closeMenu(); if (action) action(); },
    }, attrs), text);
    const content = h("div", {role: "menu", id: id("radix"), class: "menu",
      "aria-labelledby": trigger.id, "aria-orientation": "vertical", "data-state": "open",
      tabindex: "-1"},
      h("div", {class: "menu-email"}, state.session.user.email),
      item("Upgrade plan", {"data-testid": "upgrade-plan-menu-item"}),
      item("Customize ChatGPT", {"data-testid": "customize-menu-item"}),
      item("Settings", {"data-testid": "settings-menu-item"}, () => {
        location.hash = mobile ? "#settings" : "#settings/General";
      }),
      h("div", {role: "separator", class: "menu-separator"}),
      item("Help", {}),
      item("Log out", {"data-testid": "log-out-menu-item"}, signOut));
    const wrapper = h("div", {class: mobile ? "popper top-right" : "popper bottom-left",
      "data-radix-popper-content-wrapper": ""}, content);
    menu = {el: wrapper, content, trigger, modal: false, close: closeMenu};
    trigger.setAttribute("aria-expanded", "true");
    trigger.setAttribute("data-state", "open");
    trigger.setAttribute("aria-controls", content.id);
    pushLayer(menu);
    content.focus();
  }

  function closeMenu() {
    if (!menu) return;
    const {trigger} = menu;
    popLayer(menu);
    menu = null;
    trigger.setAttribute("aria-expanded", "false");
    trigger.setAttribute("data-state", "closed");
    trigger.removeAttribute("aria-controls");
  }

  function signOut() {
    fetch("/api/auth/signout", {method: "POST", credentials: "same-origin"})
      .finally(() => { location.href = "/"; });
  }

  // -- the settings dialog (its tab in the URL's fragment) ----------------------------------

  let settings = null;

  function wanted() {
    const m = /^#settings(?:\/(\w*))?$/.exec(location.hash);
    if (!m || state.session === null) return null;
    const known = TABS.find((t) => t[0] === m[1]);
    if (known) return known[0];
    return mobile ? "" : "General"; // a phone shows the list of tabs first
  }

  function syncSettings() {
    const tab = wanted();
    if (tab === null) { if (settings) closeSettings(false); return; }
    if (!settings) openSettings();
    selectTab(tab);
  }

  function openSettings() {
    const titleId = id("radix");
    const tablist = h("div", {role: "tablist", "aria-orientation": "vertical",
      class: "tablist"});
    const panel = h("div", {role: "tabpanel", class: "tabpanel", tabindex: "0"});
    const tabs = {};
    for (const [slug, name, testid] of TABS) {
      const tab = h("button", {type: "button", role: "tab", id: id("radix"),
        "data-testid": testid, "aria-selected": "false", "data-state": "inactive",
        tabindex: "-1", class: "tab"}, name);
      // Radix Tabs: a tab activates on mousedown (primary button) and on Enter / Space.
      const go = () => { location.hash = `#settings/${slug}`; };
      tab.addEventListener("mousedown", (e) => { if (e.button === 0 && !e.ctrlKey) go(); });
      tab.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); }
      });
      tabs[slug] = tab;
      tablist.append(tab);
    }
    const back = mobile ? h("button", {type: "button", class: "icon-button back",
      "aria-label": "Back", onclick: () => { location.hash = "#settings"; }}, "\u2039") : null;
    const dialog = h("div", {role: "dialog", id: id("radix"), "aria-labelledby": titleId,
      "data-state": "open", tabindex: "-1", class: mobile ? "dialog sheet" : "dialog settings"},
      h("header", {class: "dialog-header"}, back,
        h("h2", {id: titleId, class: "dialog-title"}, "Settings"),
        h("button", {type: "button", class: "icon-button", "aria-label": "Close",
          "data-testid": "close-button", onclick: () => closeSettings(true)}, "\u00d7")),
      h("div", {class: "settings-body"}, tablist, panel));
    const el = h("div", {class: "overlay-wrap"},
      h("div", {class: "overlay", "data-state": "open"}), dialog);
    settings = {el, content: dialog, modal: true, close: () => closeSettings(true), tabs, panel,
      tab: null};
    pushLayer(settings);
    dialog.focus();
  }

  function closeSettings(clearFragment) {
    if (modelDialog) closeModelDialog();
    popLayer(settings);
    settings = null;
    if (clearFragment) history.pushState("", document.title, location.pathname + location.search);
  }

  function selectTab(slug) {
    if (settings.tab === slug) return;
    settings.tab = slug;
    for (const [key, tab] of Object.entries(settings.tabs)) {
      const on = key === slug;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.setAttribute("data-state", on ? "active" : "inactive");
      tab.tabIndex = on ? 0 : -1;
    }
    // A phone shows either the list of tabs or one tab's panel (with a way back).
    settings.el.classList.toggle("showing-panel", slug !== "");
    drawPanel();
  }

  function row(label, control, attrs) {
    return h("div", Object.assign({class: "setting-row"}, attrs), h("div", {}, label), control);
  }

  function drawPanel() {
    const {panel, tab} = settings;
    panel.textContent = "";
    if (!tab) return;
    const tabEl = settings.tabs[tab];
    panel.setAttribute("aria-labelledby", tabEl.id);
    panel.id = `${tabEl.id}-content`;
    tabEl.setAttribute("aria-controls", panel.id);
    if (tab === "DataControls") {
      if (state.training === null) {
        panel.append(h("div", {class: "spinner", role: "progressbar", "aria-label": "Loading"}));
        return;
      }
      const open = h("button", {type: "button", class: "row-button",
        "data-testid": "improve-model-open-modal-button", "aria-haspopup": "dialog",
        "aria-expanded": "false", onclick: () => openModelDialog(open)},
        h("span", {class: "training-state"}, state.training ? "On" : "Off"),
        h("span", {class: "chevron", "aria-hidden": "true"}, "\u203a"));
      panel.append(
        row("Improve the model for everyone", open),
        row("Shared links", h("button", {type: "button", class: "btn"}, "Manage")),
        row("Archived chats", h("button", {type: "button", class: "btn"}, "Manage")),
        row("Archive all chats", h("button", {type: "button", class: "btn"}, "Archive all")),
        row("Delete all chats", h("button", {type: "button", class: "btn btn-danger"},
          "Delete all")),
        row("Export data", h("button", {type: "button", class: "btn"}, "Export")));
    } else if (tab === "General") {
      panel.append(
        row("Theme", h("button", {type: "button", class: "btn", "aria-haspopup": "listbox"},
          "System")),
        row("Language", h("button", {type: "button", class: "btn",
          "aria-haspopup": "listbox"}, "Auto-detect")));
    } else if (tab === "Account") {
      panel.append(row("Email", h("span", {class: "muted"}, state.session.user.email)));
    } else {
      panel.append(h("p", {class: "muted"}, "Nothing to change here yet."));
    }
  }

  // -- the second dialog: the switch ----------------------------------------------------------

  let modelDialog = null;

  function openModelDialog(opener) {
    if (modelDialog || state.training === null) return;
    const titleId = id("radix");
    const labelId = id("radix");
    const descId = id("radix");
    const toggle = h("button", {type: "button", role: "switch", class: "switch",
      "data-testid": "improve-model-toggle", "aria-labelledby": labelId,
      "aria-describedby": descId, value: "on"}, h("span", {class: "thumb"}));
    toggle.addEventListener("click", () => save(!state.training));
    const dialog = h("div", {role: "dialog", id: id("radix"), "aria-labelledby": titleId,
      "data-state": "open", tabindex: "-1", class: "dialog small"},
      h("header", {class: "dialog-header"},
        h("h2", {id: titleId, class: "dialog-title"}, "Model improvement")),
      h("div", {class: "setting-row"}, h("div", {id: labelId}, "Improve the model for everyone"),
        toggle),
      h("p", {id: descId, class: "muted"}, "Allow your content to be used to train our models, "
        + "which makes ChatGPT better for you and everyone who uses it. We take steps to "
        + "protect your privacy."),
      h("div", {class: "dialog-footer"}, h("button", {type: "button", class: "btn btn-primary",
        onclick: closeModelDialog}, "Done")));
    const el = h("div", {class: "overlay-wrap"},
      h("div", {class: "overlay", "data-state": "open"}), dialog);
    modelDialog = {el, content: dialog, modal: true, close: closeModelDialog, toggle, opener};
    opener.setAttribute("aria-expanded", "true");
    pushLayer(modelDialog);
    showTraining();
    dialog.focus();
  }

  function closeModelDialog() {
    if (!modelDialog) return;
    modelDialog.opener.setAttribute("aria-expanded", "false");
    popLayer(modelDialog);
    modelDialog = null;
  }

  // The setting, wherever it shows: the switch (Radix Switch's aria-checked and data-state)
  // and the Data controls row.
  function showTraining() {
    const on = state.training === true;
    if (modelDialog) {
      const {toggle} = modelDialog;
      toggle.setAttribute("aria-checked", on ? "true" : "false");
      toggle.setAttribute("data-state", on ? "checked" : "unchecked");
      toggle.firstChild.setAttribute("data-state", on ? "checked" : "unchecked");
      toggle.disabled = state.saving;
      if (state.saving) toggle.setAttribute("data-disabled", "");
      else toggle.removeAttribute("data-disabled");
    }
    const shown = document.querySelector(".training-state");
    if (shown) shown.textContent = on ? "On" : "Off";
  }

  // Saved as soon as it is toggled, shown at once; put back if the server says no.
  function save(value) {
    if (state.saving) return;
    const before = state.training;
    state.training = value;
    state.saving = true;
    showTraining();
    api(`/backend-api/settings/account_user_setting?feature=training_allowed&value=${value}`,
      {method: "POST"})
      .catch(() => {
        state.training = before;
        toast("Something went wrong. Please try again.");
      })
      .finally(() => {
        state.saving = false;
        showTraining();
      });
  }

  function toast(text) {
    const box = h("div", {role: "alert", class: "toast"}, text);
    document.body.append(box);
    setTimeout(() => box.remove(), 8000);
  }

  // -- start ----------------------------------------------------------------------------------

  window.addEventListener("hashchange", syncSettings);
  api("/api/auth/session")
    .catch(() => ({}))
    .then((session) => {
      state.session = session && session.user ? session : null;
      drawApp();
      syncSettings();
      if (state.session === null) return;
      api("/backend-api/settings/user").then((data) => {
        state.training = data.settings.training_allowed === true;
        if (settings && settings.tab === "DataControls") drawPanel();
        showTraining();
      });
    });
})();
