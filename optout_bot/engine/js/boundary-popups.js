// The origin boundary's page side, added to every document of the run's page before the
// page's own scripts (an init script): no new tab or window on another origin, whether a
// script asks for it (window.open) or a link or form does (target="_blank" and the like).
// Such an opening is cancelled in the page and told to optout-bot as a console message
// (REPORT followed by the URL; no binding to install, so no extra round trip), so the run
// stops. Openings on the allowed origins go ahead; optout-bot closes those tabs itself (it
// never needs them). Receives ALLOWED (a list of origins) and REPORT (the message's prefix).
(() => {
  // Inside the function: the page's own globals stay as they were.
  // @const ALLOWED
  // @const REPORT
  const allowed = (url) => {
    try {
      return ALLOWED.includes(new URL(url, document.baseURI).origin);
    } catch (e) {
      return false;
    }
  };
  const debug = console.debug.bind(console);
  const tell = (url) => debug(REPORT + String(url));
  const open = window.open;
  window.open = function (url, ...rest) {
    if (url !== undefined && url !== "" && !allowed(url)) {
      tell(url);
      return null;
    }
    return open.call(this, url, ...rest);
  };
  const elsewhere = (target) => target && !["_self", "_top", "_parent"].includes(target.toLowerCase());
  document.addEventListener(
    "click",
    (event) => {
      const link = event.target instanceof Element && event.target.closest("a[href], area[href]");
      if (link && (elsewhere(link.target) || event.ctrlKey || event.metaKey || event.shiftKey)
          && !allowed(link.href)) {
        event.preventDefault();
        tell(link.href);
      }
    },
    true,
  );
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      const by = event.submitter;
      const action = by && by.hasAttribute("formaction") ? by.formAction : form.action;
      const target = by && by.hasAttribute("formtarget") ? by.formTarget : form.target;
      if (elsewhere(target) && !allowed(action)) {
        event.preventDefault();
        tell(action);
      }
    },
    true,
  );
})();
