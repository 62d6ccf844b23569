// A page call (page-calls.js) in one page.evaluate: finds the element by plain CSS, as
// Playwright's `.first` would (the first element in document order), and answers the call.
// Receives [css, call, args]. Returns the call's answer, or NEXT when the CSS is not provably
// what Playwright finds (see native-css.js) or finds nothing: then the caller asks the
// locator.
([css, call, args]) => {
  // @include switch-lib.js
  // @include guard-lib.js
  // @include switch-facts.js
  // @include native-css.js
  // @include page-calls.js
  const el = (nativeQueryAll([css]) || [])[0];
  if (!el) return NEXT;
  return pageCall(el, call, args);
}
