# ruff: noqa: E501  (HTML, CSS and JS templates: their lines follow the markup)
"""The replica's one stylesheet, one script and its icons, inlined into every page.

Nothing is loaded from elsewhere: pages carry their CSS, JS and images (SVG, data: URIs), and
the server's Content-Security-Policy forbids any other origin, so a test run never leaves
127.0.0.1.
"""

from __future__ import annotations

import html
from urllib.parse import quote

CSS = """
*,*::before,*::after{box-sizing:border-box}
html{background:#f4f2ee}
body{margin:0;
  font-family:-apple-system,system-ui,"Segoe UI",Roboto,"Helvetica Neue","Liberation Sans",Arial,sans-serif;
  font-size:14px;line-height:1.43;color:rgba(0,0,0,.9);background:#f4f2ee;
  -webkit-font-smoothing:antialiased}
a{color:#0a66c2;text-decoration:none}
a:hover{text-decoration:underline}
h1,h2,h3,p{margin:0}
button{font:inherit;color:inherit}
ul{list-style:none;margin:0;padding:0}
img.avatar{border-radius:50%;display:block}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;
  clip:rect(0 0 0 0);white-space:nowrap}
.artdeco-card{background:#fff;border-radius:8px;box-shadow:0 0 0 1px rgba(140,140,140,.2);
  overflow:hidden}
.artdeco-button{display:inline-flex;align-items:center;justify-content:center;min-height:32px;
  padding:6px 16px;border-radius:24px;border:1px solid #0a66c2;background:transparent;
  color:#0a66c2;font-weight:600;font-size:16px;cursor:pointer;text-decoration:none}
.artdeco-button:hover{background:rgba(112,181,249,.2);text-decoration:none}
.artdeco-button--primary{background:#0a66c2;color:#fff}
.artdeco-button--primary:hover{background:#004182}
.artdeco-button--block{display:flex;width:100%;min-height:52px}
.muted{color:rgba(0,0,0,.6)}

/* Global navigation (desktop) */
.global-nav{position:sticky;top:0;z-index:100;background:#fff;
  border-bottom:1px solid rgba(0,0,0,.08)}
.global-nav__content{max-width:1128px;margin:0 auto;height:52px;display:flex;align-items:center;
  padding:0 24px}
.global-nav__logo{display:flex;margin-right:8px}
.global-nav__search{display:flex;align-items:center;gap:6px;background:#edf3f8;
  border-radius:4px;height:34px;width:280px;padding:0 10px;color:rgba(0,0,0,.6)}
.global-nav__search svg{width:16px;height:16px;fill:currentColor;flex:none}
.global-nav__search input{border:0;background:transparent;font:inherit;width:100%;outline:none}
.global-nav__nav{margin-left:auto;height:100%}
.global-nav__primary-items{display:flex;height:100%}
.global-nav__primary-item{position:relative;height:100%}
.global-nav__primary-link{display:flex;flex-direction:column;align-items:center;
  justify-content:center;min-width:80px;height:100%;padding:0 4px;color:rgba(0,0,0,.6);
  font-size:12px;line-height:1.33;background:none;border:0;border-bottom:2px solid transparent;
  cursor:pointer}
.global-nav__primary-link:hover{color:rgba(0,0,0,.9);text-decoration:none}
.global-nav__primary-link--active{color:rgba(0,0,0,.9);border-bottom-color:rgba(0,0,0,.9)}
.global-nav__primary-link svg{width:24px;height:24px;fill:currentColor}
.global-nav__primary-link-me-menu-trigger img{width:24px;height:24px}
.global-nav__primary-link-me-menu-trigger span{display:flex;align-items:center;gap:2px}
.global-nav__primary-link-me-menu-trigger span svg{width:16px;height:16px}
.global-nav__divider{border-left:1px solid rgba(0,0,0,.08);margin:0 4px}
.global-nav__me-content{position:absolute;right:0;top:56px;width:264px;background:#fff;
  border-radius:8px 0 8px 8px;
  box-shadow:0 0 0 1px rgba(140,140,140,.2),0 4px 12px rgba(0,0,0,.15);padding:8px 0;
  z-index:200}
.me-profile{display:flex;gap:8px;padding:8px 12px}
.me-profile img{width:56px;height:56px}
.me-profile strong{display:block;font-size:16px}
.me-view{margin:4px 12px 8px;display:flex;min-height:24px;font-size:14px;padding:2px 12px}
.me-section{border-top:1px solid rgba(0,0,0,.08);padding:8px 0}
.me-section h3{font-size:16px;font-weight:600;padding:4px 12px}
.me-section a{display:block;padding:4px 12px;color:rgba(0,0,0,.6)}
.me-section a:hover{text-decoration:underline}

/* Page layouts */
.page{max-width:1128px;margin:24px auto;padding:0 24px}
.feed-layout{display:grid;grid-template-columns:225px 1fr 300px;gap:24px;align-items:start}
.settings-layout{display:grid;grid-template-columns:300px 1fr;gap:24px;align-items:start}
.profile-card__cover{height:56px;background:linear-gradient(120deg,#a0b4b7,#d7e1e3)}
.profile-card__body{padding:0 12px 16px;text-align:center}
.profile-card__body img{width:72px;height:72px;margin:-36px auto 8px;border:2px solid #fff}
.profile-card__body h2{font-size:16px}
.profile-card__stats{border-top:1px solid rgba(0,0,0,.08);padding:12px;font-size:12px;
  color:rgba(0,0,0,.6)}
.profile-card__stats div{display:flex;justify-content:space-between}
.profile-card__stats b{color:#0a66c2}
.share-box{padding:12px 16px;display:flex;gap:8px;align-items:center;margin-bottom:8px}
.share-box img{width:48px;height:48px}
.share-box button{flex:1;text-align:left;height:48px;border-radius:35px;
  border:1px solid rgba(0,0,0,.3);background:#fff;padding:0 16px;font-weight:600;
  color:rgba(0,0,0,.6);cursor:pointer}
.post{margin-bottom:8px}
.post__head{display:flex;gap:8px;padding:12px 16px 0}
.post__avatar{width:48px;height:48px;border-radius:50%;background:#cfd8dc;display:flex;
  align-items:center;justify-content:center;font-weight:600;color:#38434f}
.post__author{font-weight:600}
.post__sub{font-size:12px;color:rgba(0,0,0,.6)}
.post__text{padding:8px 16px 12px}
.post__actions{display:flex;border-top:1px solid rgba(0,0,0,.08);padding:4px 8px}
.post__actions span{flex:1;text-align:center;padding:10px 0;font-weight:600;
  color:rgba(0,0,0,.6)}
.news{padding:12px 16px}
.news h2{font-size:16px;margin-bottom:8px}
.news li{padding:6px 0;font-weight:600;font-size:14px}

/* Settings */
.settings-side__head{display:flex;align-items:center;gap:12px;padding:16px 24px}
.settings-side__head img{width:32px;height:32px}
.settings-side__head h1{font-size:24px;font-weight:600}
.settings-nav a{display:flex;align-items:center;gap:12px;padding:12px 24px;
  color:rgba(0,0,0,.75);font-weight:600;font-size:16px;border-left:4px solid transparent}
.settings-nav a:hover{background:rgba(0,0,0,.04);text-decoration:none}
.settings-nav a[aria-current="page"]{border-left-color:#01754f;color:#01754f}
.settings-nav svg{width:24px;height:24px;fill:currentColor;flex:none}
.settings-section{margin-bottom:16px}
.settings-section h2{font-size:20px;font-weight:600;padding:24px 24px 8px}
.settings-row a{display:flex;align-items:center;gap:16px;padding:14px 24px;color:rgba(0,0,0,.9);
  font-size:16px;border-top:1px solid rgba(0,0,0,.08)}
.settings-row:first-child a{border-top:0}
.settings-row a:hover{background:rgba(0,0,0,.04);text-decoration:none}
.settings-row__title{flex:1}
.settings-row__value{color:rgba(0,0,0,.6);font-size:14px}
.settings-row svg{width:16px;height:16px;fill:rgba(0,0,0,.6);flex:none}
.setting-detail{padding:16px 24px 24px}
.back-link{display:inline-flex;align-items:center;gap:4px;font-weight:600;color:rgba(0,0,0,.6);
  font-size:16px;margin-bottom:16px}
.back-link svg{width:24px;height:24px;fill:currentColor}
.setting-detail h1{font-size:24px;font-weight:600;line-height:1.25;margin-bottom:12px}
.setting-detail__question{font-size:16px;color:rgba(0,0,0,.9);margin-bottom:20px}
.setting-detail__helper{font-size:14px;color:rgba(0,0,0,.6);margin-top:16px;max-width:640px}
.toggle-row{display:flex;align-items:center;gap:16px;padding:16px 0;
  border-top:1px solid rgba(0,0,0,.08);border-bottom:1px solid rgba(0,0,0,.08)}
.toggle-row label{order:-1;flex:1;font-size:16px;font-weight:600;cursor:pointer}
.artdeco-toggle__text{min-width:28px;font-size:16px;font-weight:600;color:rgba(0,0,0,.75)}
/* The switch: a native checkbox, or a <button role="switch"> (Scenario.switch_markup) */
.artdeco-toggle__button{-webkit-appearance:none;appearance:none;margin:0;flex:none;
  width:48px;height:24px;border-radius:12px;cursor:pointer;background-color:#666;
  background-image:radial-gradient(circle,#fff 0 8px,transparent 8.5px);
  background-size:24px 24px;background-repeat:no-repeat;background-position:0 0;
  transition:background-position .15s,background-color .15s}
button.artdeco-toggle__button{border:0;padding:0}
.artdeco-toggle__button:checked,
button.artdeco-toggle__button[aria-checked="true"]{background-color:#01754f;
  background-position:24px 0}
.artdeco-toggle__button:focus-visible{outline:2px solid #0a66c2;outline-offset:2px}
.artdeco-toggle__button:disabled{opacity:.55;cursor:progress}

/* Toasts */
.artdeco-toasts{position:fixed;left:24px;bottom:24px;z-index:900;display:flex;
  flex-direction:column;gap:8px;max-width:400px}
.artdeco-toast{display:flex;align-items:center;gap:12px;padding:14px 16px;background:#fff;
  border-radius:8px;font-size:14px;font-weight:600;
  box-shadow:0 0 0 1px rgba(140,140,140,.2),0 4px 12px rgba(0,0,0,.2);
  border-left:6px solid #057642}
.artdeco-toast--error{border-left-color:#cc1016}
.artdeco-toast svg{width:24px;height:24px;flex:none}

/* Promotion modal */
.artdeco-modal-overlay{position:fixed;inset:0;z-index:1000;background:rgba(0,0,0,.6);
  display:flex;align-items:center;justify-content:center;padding:16px}
.artdeco-modal{position:relative;width:100%;max-width:420px;background:#fff;border-radius:8px;
  box-shadow:0 4px 24px rgba(0,0,0,.3)}
.artdeco-modal__header{padding:16px 56px 8px 24px}
.artdeco-modal__header h2{font-size:20px;font-weight:600}
.artdeco-modal__dismiss{position:absolute;top:12px;right:12px;width:40px;height:40px;
  border-radius:50%;border:0;background:none;cursor:pointer;display:flex;align-items:center;
  justify-content:center}
.artdeco-modal__dismiss:hover{background:rgba(0,0,0,.08)}
.artdeco-modal__dismiss svg{width:24px;height:24px;fill:rgba(0,0,0,.6)}
.artdeco-modal__content{padding:8px 24px 16px;font-size:16px;color:rgba(0,0,0,.75)}
.artdeco-modal__actionbar{padding:12px 24px 16px;display:flex;justify-content:flex-end;
  border-top:1px solid rgba(0,0,0,.08)}
.premium-badge{display:inline-block;width:20px;height:20px;border-radius:3px;background:#e7a33e;
  margin-right:6px;vertical-align:-3px}

/* Logged-out pages (login, authwall, checkpoint, guest home) */
.guest-header{max-width:1128px;margin:0 auto;padding:20px 24px;display:flex;align-items:center;
  justify-content:space-between}
.guest-header svg{height:34px;width:auto}
.guest-main{display:flex;justify-content:center;padding:16px 16px 48px}
.guest-card{width:100%;max-width:400px;padding:24px;box-shadow:0 4px 12px rgba(0,0,0,.15);
  border-radius:8px;background:#fff}
.guest-card h1{font-size:32px;font-weight:600;line-height:1.25}
.guest-card .subtitle{margin:4px 0 20px}
.field{margin-bottom:16px}
.field label{display:block;font-size:14px;color:rgba(0,0,0,.75);margin-bottom:4px}
.field input{width:100%;height:52px;border:1px solid rgba(0,0,0,.6);border-radius:4px;
  padding:0 12px;font:inherit;font-size:16px}
.field input:focus{outline:2px solid #0a66c2;outline-offset:-1px}
.form-error{color:#cc1016;font-weight:600;margin-bottom:12px}
.forgot{display:inline-block;font-weight:600;margin-bottom:20px}
.divider{display:flex;align-items:center;gap:12px;margin:20px 0;color:rgba(0,0,0,.6)}
.divider::before,.divider::after{content:"";flex:1;border-top:1px solid rgba(0,0,0,.15)}
.app-approval{display:flex;gap:12px;align-items:flex-start;padding:12px;border-radius:8px;
  background:#edf3f8;font-size:14px}
.app-approval__spinner{flex:none;width:20px;height:20px;border-radius:50%;
  border:3px solid rgba(10,102,194,.25);border-top-color:#0a66c2;
  animation:spin 1s linear infinite}
@keyframes spin{to{transform:rotate(360deg)}}
.guest-footer{text-align:center;font-size:16px;margin-top:8px}
.notfound{text-align:center;padding:48px 24px}
.notfound h1{font-size:32px;font-weight:600;margin-bottom:12px}
.notfound p{font-size:16px;color:rgba(0,0,0,.6);margin-bottom:24px}
.notfound__art{width:160px;height:120px;margin:0 auto 24px}
.placeholder{padding:24px}
.placeholder h1{font-size:24px;font-weight:600;margin-bottom:8px}

/* Mobile layout */
body.mobile{font-size:15px}
.m-topbar{position:sticky;top:0;z-index:100;background:#fff;display:flex;align-items:center;
  gap:10px;height:52px;padding:0 12px;border-bottom:1px solid rgba(0,0,0,.08)}
.m-topbar__avatar{border:0;background:none;padding:0;cursor:pointer;flex:none}
.m-topbar__avatar img{width:32px;height:32px}
.m-topbar .global-nav__search{flex:1;width:auto}
.m-topbar svg{width:24px;height:24px;fill:rgba(0,0,0,.6)}
.m-topbar .global-nav__search svg{width:16px;height:16px}
.m-topbar__back{display:flex;align-items:center;color:rgba(0,0,0,.75)}
.m-topbar__title{font-size:18px;font-weight:600}
.m-drawer-backdrop{position:fixed;inset:0;background:rgba(0,0,0,.5);z-index:300}
.m-drawer{position:fixed;top:0;left:0;bottom:0;width:82%;max-width:320px;background:#fff;
  z-index:301;padding:20px 0;box-shadow:4px 0 16px rgba(0,0,0,.2)}
.m-drawer[hidden],.m-drawer-backdrop[hidden]{display:none}
.m-drawer__profile{padding:0 20px 16px;border-bottom:1px solid rgba(0,0,0,.08)}
.m-drawer__profile img{width:64px;height:64px;margin-bottom:8px}
.m-drawer__profile strong{display:block;font-size:20px}
.m-drawer a{display:block;padding:14px 20px;font-size:16px;font-weight:600;
  color:rgba(0,0,0,.75)}
.m-drawer__close{position:absolute;top:12px;right:12px;border:0;background:none;width:40px;
  height:40px;cursor:pointer}
.m-drawer__close svg{width:24px;height:24px;fill:rgba(0,0,0,.6)}
.m-page{padding:8px 0 72px}
.m-page .artdeco-card{border-radius:0;margin-bottom:8px}
.m-bottom-nav{position:fixed;left:0;right:0;bottom:0;height:56px;background:#fff;
  border-top:1px solid rgba(0,0,0,.08);display:flex;z-index:100}
.m-bottom-nav a{flex:1;display:flex;flex-direction:column;align-items:center;
  justify-content:center;font-size:11px;color:rgba(0,0,0,.6)}
.m-bottom-nav svg{width:24px;height:24px;fill:currentColor}
.m-page .settings-section h2{font-size:18px;padding:16px 16px 4px}
.m-page .settings-row a{padding:14px 16px}
.m-page .setting-detail{padding:16px}
.m-page .setting-detail h1{font-size:20px}
.m-settings-head{display:flex;align-items:center;gap:12px;padding:16px}
.m-settings-head img{width:40px;height:40px}
.m-settings-head h1{font-size:22px;font-weight:600}
"""

#: One script for every page; each part acts only if its elements are on the page.
#: Page data comes from the JSON in <script id="replica-config">.
JS = r"""
(function () {
  "use strict";
  var cfgEl = document.getElementById("replica-config");
  var cfg = cfgEl ? JSON.parse(cfgEl.textContent) : {};
  var S = cfg.strings || {};
  // A renamed build (Scenario.renamed_classes) says which class names and ids it shipped.
  var CLASSES = cfg.classes || {};
  var IDS = cfg.ids || {};
  function cls(name) { return CLASSES[name] || name; }
  function byId(id) { return document.getElementById(IDS[id] || id); }

  // Like the real site, a signed-in page keeps state in localStorage under "voyager" keys.
  if (cfg.member) {
    try {
      localStorage.setItem("voyager-web:badge-counts", JSON.stringify({messaging: 0, notifications: 3}));
      localStorage.setItem("voyagerWebLixTreatments", JSON.stringify({"voyager.web.settings-hub": "enabled"}));
      localStorage.setItem("voyager-web:last-page", location.pathname);
    } catch (e) { /* storage may be disabled */ }
  }

  // Desktop "Me" menu.
  var meButton = document.querySelector("." + cls("global-nav__primary-link-me-menu-trigger"));
  var meMenu = byId("me-menu");
  function setMenu(open) {
    if (!meMenu) return;
    meMenu.hidden = !open;
    meButton.setAttribute("aria-expanded", open ? "true" : "false");
  }
  if (meButton && meMenu) {
    meButton.addEventListener("click", function (ev) { ev.stopPropagation(); setMenu(meMenu.hidden); });
    document.addEventListener("click", function (ev) {
      if (!meMenu.hidden && !meMenu.contains(ev.target)) setMenu(false);
    });
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") setMenu(false); });
  }

  // Mobile navigation drawer.
  var drawerButton = document.querySelector("[data-drawer-open]");
  var drawer = byId("nav-drawer");
  var drawerBackdrop = byId("nav-drawer-backdrop");
  function setDrawer(open) {
    drawer.hidden = !open;
    drawerBackdrop.hidden = !open;
    drawerButton.setAttribute("aria-expanded", open ? "true" : "false");
  }
  if (drawerButton && drawer && drawerBackdrop) {
    drawerButton.addEventListener("click", function () { setDrawer(true); });
    drawerBackdrop.addEventListener("click", function () { setDrawer(false); });
    var drawerClose = drawer.querySelector("[data-drawer-close]");
    if (drawerClose) drawerClose.addEventListener("click", function () { setDrawer(false); });
  }

  // Toasts.
  var ICON_OK = '<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="11" fill="#057642"/><path d="M7 12.5l3.2 3.2L17 9" stroke="#fff" stroke-width="2.2" fill="none"/></svg>';
  var ICON_ERR = '<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="11" fill="#cc1016"/><path d="M12 6.5v7M12 16.5v1.5" stroke="#fff" stroke-width="2.4" fill="none"/></svg>';
  function toast(kind, text) {
    var box = byId("toasts");
    if (!box) return;
    var t = document.createElement("div");
    t.setAttribute("role", "alert");
    t.className = cls("artdeco-toast") + " " + cls("artdeco-toast--" + kind);
    t.innerHTML = kind === "error" ? ICON_ERR : ICON_OK;
    var p = document.createElement("p");
    p.textContent = text;
    t.appendChild(p);
    box.appendChild(t);
    setTimeout(function () { t.remove(); }, 15000);
  }

  // Setting switches: save on change, revert if the server says no. A switch is a native
  // checkbox (state in .checked, mirrored to aria-checked) or a <button role="switch">
  // (state in aria-checked only).
  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)JSESSIONID="?([^";]+)"?/);
    if (m) return m[1];
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }
  function showState(input, on) {
    if (input instanceof HTMLInputElement) input.checked = on;
    input.setAttribute("aria-checked", on ? "true" : "false");
    var text = input.parentNode.querySelector("." + cls("artdeco-toggle__text"));
    if (text) text.textContent = on ? S.on : S.off;
  }
  function wireSwitch(input) {
    var key = input.getAttribute("data-setting-key") || input.getAttribute("aria-labelledby");
    var native = input instanceof HTMLInputElement;
    input.addEventListener(native ? "change" : "click", function () {
      var value = native ? input.checked : input.getAttribute("aria-checked") !== "true";
      showState(input, value);
      input.disabled = true;
      fetch("/mypreferences/api/settings", {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "content-type": "application/json",
          "csrf-token": csrfToken(),
          "x-restli-protocol-version": "2.0.0"
        },
        body: JSON.stringify({key: key, value: value})
      }).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        toast("success", S.saved);
      }).catch(function () {
        showState(input, !value);
        toast("error", S.saveFailed);
      }).finally(function () {
        input.disabled = false;
      });
    });
  }
  document.querySelectorAll('[role="switch"][aria-labelledby]').forEach(wireSwitch);

  // A switch that is not in the page's HTML: inserted a while after load.
  var late = document.getElementById("late-switch");
  if (late) {
    setTimeout(function () {
      var slot = document.getElementById("late-switch-slot");
      var frag = late.content.cloneNode(true);
      var input = frag.querySelector('[role="switch"]');
      slot.replaceWith(frag);
      if (input) wireSwitch(input);
      window.__replicaSwitchInsertedAt = performance.now();
    }, cfg.lateSwitchMs || 0);
  }

  // A promotion that covers the page shortly (cfg.promoDelayMs) after it loads.
  var promo = document.getElementById("promo-template");
  if (promo) {
    var showPromo = function () {
      setTimeout(function () {
        document.body.appendChild(promo.content.cloneNode(true));
        var overlay = byId("promo-overlay");
        overlay.querySelector('button[aria-label]').addEventListener("click", function () { overlay.remove(); });
        overlay.querySelector("[data-promo-try]").addEventListener("click", function () { location.assign("/premium/"); });
        window.__replicaPromoShownAt = performance.now();
      }, cfg.promoDelayMs || 0);
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", showPromo);
    else showPromo();
  }

  // The login page waits for the member to approve the sign-in on their phone.
  if (cfg.loginToken) {
    var deadline = Date.now() + 10 * 60 * 1000;
    var stopped = false;
    window.addEventListener("pagehide", function () { stopped = true; });
    var poll = function () {
      if (stopped || Date.now() > deadline) return;
      fetch("/uas/login/poll?token=" + encodeURIComponent(cfg.loginToken), {cache: "no-store"})
        .then(function (r) { return r.ok ? r.json() : {gone: true}; })
        .then(function (d) {
          if (d.approved && d.next) { stopped = true; location.assign(d.next); }
          else if (!d.gone) setTimeout(poll, 250);
        })
        .catch(function () { setTimeout(poll, 1000); });
    };
    poll();
  }
})();
"""


def _svg(path: str, view: str = "0 0 24 24") -> str:
    return f'<svg viewBox="{view}" aria-hidden="true" focusable="false"><path d="{path}"/></svg>'


ICONS: dict[str, str] = {
    "home": _svg(
        "M23 9v2h-2v7a3 3 0 01-3 3h-4v-6h-4v6H6a3 3 0 01-3-3v-7H1V9l11-7 5 3.18V2h3v5.09z"
    ),
    "network": _svg(
        "M12 16v6H3v-6a3 3 0 013-3h3a3 3 0 013 3zm5.5-3A3.5 3.5 0 1014 9.5a3.5 3.5 0 003.5 "
        "3.5zm1 2h-2a2.5 2.5 0 00-2.5 2.5V22h7v-4.5a2.5 2.5 0 00-2.5-2.5zM7.5 2A4.5 4.5 0 1012 "
        "6.5 4.49 4.49 0 007.5 2z"
    ),
    "jobs": _svg(
        "M17 6V5a3 3 0 00-3-3h-4a3 3 0 00-3 3v1H2v4a3 3 0 003 3h14a3 3 0 003-3V6zM9 5a1 1 0 "
        "011-1h4a1 1 0 011 1v1H9zm10 9a4 4 0 003-1.38V17a3 3 0 01-3 3H5a3 3 0 01-3-3v-4.38A4 4 "
        "0 005 14z"
    ),
    "messaging": _svg(
        "M16 4H8a7 7 0 000 14h4v4l8.16-5.39A6.78 6.78 0 0023 11a7 7 0 00-7-7zm-8 8.25A1.25 "
        "1.25 0 119.25 11 1.25 1.25 0 018 12.25zm4 0A1.25 1.25 0 1113.25 11 1.25 1.25 0 0112 "
        "12.25zm4 0A1.25 1.25 0 1117.25 11 1.25 1.25 0 0116 12.25z"
    ),
    "notifications": _svg(
        "M22 19h-8.28a2 2 0 11-3.44 0H2v-1a4.52 4.52 0 011.17-2.83l1-1.17h15.7l1 1.17A4.42 "
        "4.42 0 0122 18zM18.21 7.44A6.27 6.27 0 0012 2a6.27 6.27 0 00-6.21 5.44L5 13h14z"
    ),
    "search": _svg(
        "M14.56 12.44L11.3 9.18a5.51 5.51 0 10-2.12 2.12l3.26 3.26a1.5 1.5 0 102.12-2.12zM3 "
        "6.5A3.5 3.5 0 116.5 10 3.5 3.5 0 013 6.5z",
        "0 0 16 16",
    ),
    "caret": _svg("M8 11L3 6h10z", "0 0 16 16"),
    "chevron": _svg("M5.7 14.7L4.3 13.3 9.6 8 4.3 2.7l1.4-1.4L12.4 8z", "0 0 16 16"),
    "back": _svg("M9 4l-4.87 7H22v2H4.13L9 20H6.54L1 12l5.54-8z"),
    "close": _svg(
        "M13.42 12L20 18.58 18.58 20 12 13.42 5.42 20 4 18.58 10.58 12 4 5.42 5.42 4 12 10.58 "
        "18.58 4 20 5.42z"
    ),
    "post": _svg("M21 13h-8v8h-2v-8H3v-2h8V3h2v8h8z"),
    # Settings menu icons
    "account": _svg(
        "M12 2a5 5 0 105 5 5 5 0 00-5-5zm0 12c-4.42 0-8 2.24-8 5v3h16v-3c0-2.76-3.58-5-8-5z"
    ),
    "sign-in-and-security": _svg(
        "M18 9h-1V7A5 5 0 007 7v2H6a2 2 0 00-2 2v9a2 2 0 002 2h12a2 2 0 002-2v-9a2 2 0 "
        "00-2-2zM9 7a3 3 0 016 0v2H9zm4 9.73V19h-2v-2.27a2 2 0 112 0z"
    ),
    "visibility": _svg(
        "M12 5C6.5 5 2.2 8.9 1 12c1.2 3.1 5.5 7 11 7s9.8-3.9 11-7c-1.2-3.1-5.5-7-11-7zm0 "
        "11a4 4 0 114-4 4 4 0 01-4 4zm0-6a2 2 0 102 2 2 2 0 00-2-2z"
    ),
    "privacy": _svg(
        "M12 1L3 5v6c0 5.55 3.84 10.74 9 12 5.16-1.26 9-6.45 9-12V5zm-1 16l-4-4 1.41-1.41L11 14.17l5.59-5.59L18 10z"
    ),
    "ads": _svg(
        "M21 3H3a2 2 0 00-2 2v14a2 2 0 002 2h18a2 2 0 002-2V5a2 2 0 00-2-2zM8 17H5v-2h3zm0-4H5v-2h3zm0-4H5V7h3zm11 8h-9V7h9z"
    ),
}

LOGO = (
    '<svg viewBox="0 0 24 24" width="41" height="41" aria-hidden="true" focusable="false">'
    '<path fill="#0a66c2" d="M20.5 2h-17A1.5 1.5 0 002 3.5v17A1.5 1.5 0 003.5 22h17a1.5 1.5 '
    "0 001.5-1.5v-17A1.5 1.5 0 0020.5 2zM8 19H5v-9h3zM6.5 8.25A1.75 1.75 0 118.3 6.5a1.78 "
    "1.78 0 01-1.8 1.75zM19 19h-3v-4.74c0-1.42-.6-1.93-1.38-1.93A1.74 1.74 0 0013 14.19a.66"
    '.66 0 000 .14V19h-3v-9h2.9v1.3a3.11 3.11 0 012.7-1.4c1.55 0 3.36.86 3.36 3.66z"/></svg>'
)

#: The wordmark for logged-out pages ("Linked" + the "in" box).
WORDMARK = (
    '<svg viewBox="0 0 135 34" height="34" role="img" aria-label="LinkedIn">'
    '<text x="0" y="26" font-family="Liberation Sans,Arial,sans-serif" font-size="29" '
    'font-weight="700" fill="#0a66c2">Linked</text>'
    '<rect x="99" y="3" width="30" height="30" rx="4" fill="#0a66c2"/>'
    '<text x="103" y="27" font-family="Liberation Sans,Arial,sans-serif" font-size="24" '
    'font-weight="700" fill="#fff">in</text></svg>'
)

NOT_FOUND_ART = (
    '<svg class="notfound__art" viewBox="0 0 160 120" aria-hidden="true">'
    '<rect x="10" y="20" width="140" height="90" rx="8" fill="#fff" stroke="#a0b4b7" stroke-width="3"/>'
    '<rect x="10" y="20" width="140" height="18" rx="8" fill="#d7e1e3"/>'
    '<circle cx="22" cy="29" r="3" fill="#a0b4b7"/><circle cx="32" cy="29" r="3" fill="#a0b4b7"/>'
    '<text x="80" y="88" text-anchor="middle" font-family="Liberation Sans,Arial,sans-serif" '
    'font-size="36" font-weight="700" fill="#0a66c2">404</text></svg>'
)

_AVATAR_COLORS = ("#0a66c2", "#01754f", "#915907", "#8f5849", "#5f9b41")


def avatar_uri(name: str) -> str:
    """A round avatar with the member's initials, as an SVG data: URI (no request)."""
    initials = html.escape("".join(part[0] for part in name.split()[:2]).upper() or "?")
    color = _AVATAR_COLORS[sum(map(ord, name)) % len(_AVATAR_COLORS)]
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<circle cx="32" cy="32" r="32" fill="{color}"/>'
        '<text x="32" y="41" text-anchor="middle" font-family="Liberation Sans,Arial,sans-serif" '
        f'font-size="26" font-weight="700" fill="#fff">{initials}</text></svg>'
    )
    return "data:image/svg+xml," + quote(svg)
