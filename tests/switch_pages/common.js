// Shared by the switch test pages. The starting state is the URL's hash (#on or #off), a
// variant is the query (?delay=frame), and every toggle the page makes is counted in
// <body data-changes>, so a test can prove a switch was toggled exactly once.
const START_ON = location.hash === "#on";
const PARAMS = new URLSearchParams(location.search);

function countChange() {
  document.body.dataset.changes = String(Number(document.body.dataset.changes || 0) + 1);
}

// An ARIA switch's state: aria-checked, and data-state the way Radix sets it.
function setAria(el, on) {
  el.setAttribute("aria-checked", on ? "true" : "false");
  if (el.hasAttribute("data-state")) el.dataset.state = on ? "checked" : "unchecked";
}

function isOn(el) {
  return el.getAttribute("aria-checked") === "true";
}
