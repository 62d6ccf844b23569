// switch.Probe's one-round-trip way (page.evaluate): finds the switch by plain CSS, as
// Playwright's `.first` would (the first element in document order), and answers a call.
// Receives [css, call, args] (see switch-probe-calls.js). Returns the call's answer, or NEXT
// when the CSS is not provably what Playwright finds (see native-css.js) or finds nothing.
([css, call, args]) => {
  // @include switch-lib.js
  // @include guard-lib.js
  // @include switch-facts.js
  // @include native-css.js
  // @include switch-probe-calls.js
  const el = (nativeQueryAll([css]) || [])[0];
  if (!el) return NEXT;
  return probeCall(el, call, args);
}
