// switch.Probe's other ways: answers a call on an element handle, or on what the locator
// resolves to now. Receives (element, [call, args]) (see switch-probe-calls.js). Returns the
// call's answer, or NEXT when the element is detached (a re-render replaced it).
(el, [call, args]) => {
  // @include switch-lib.js
  // @include guard-lib.js
  // @include switch-facts.js
  // @include switch-probe-calls.js
  if (!el.isConnected) return NEXT;
  return probeCall(el, call, args);
}
