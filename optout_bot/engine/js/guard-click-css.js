// The click guard's one reading in one page.evaluate (no selector script to install): finds
// the element by plain CSS, as Playwright's `.first` would (see native-css.js), and reads it
// as guard-click.js does. Receives the CSS. Returns what guard-click.js returns, or NEXT when
// the CSS is not provably what Playwright finds, or finds nothing: then the locator is asked.
(css) => {
  // @include guard-lib.js
  // @include native-css.js
  // @const NEXT
  const el = (nativeQueryAll([css]) || [])[0];
  if (!el) return NEXT;
  return guardJudgeClick(el);
}
