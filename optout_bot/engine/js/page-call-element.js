// A page call (page-calls.js) on an element handle, or on what a locator resolves to now.
// Receives (element, [call, args]). Returns the call's answer, or NEXT when the element is
// detached (a re-render replaced it).
(el, [call, args]) => {
  // @include switch-lib.js
  // @include guard-lib.js
  // @include switch-facts.js
  // @include page-calls.js
  if (!el.isConnected) return NEXT;
  return pageCall(el, call, args);
}
