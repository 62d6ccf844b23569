// locators.find's one-round-trip way (page.evaluate, no selector script to install): which of
// a target's alternatives is on the page now, in the flow's order, and the answers to the
// caller's questions about the element it found -- when that can be told without Playwright.
// Receives [alternatives, state ('attached' | 'visible'), questions]:
//   alternatives: one entry per alternative of the target, in the flow's order:
//     {css}       plain CSS: the alternative itself (found as Playwright's `.first` would);
//     {superset}  CSS that finds every element the alternative could find, and more: when it
//                 finds nothing, the alternative provably finds nothing either;
//     null        neither: only Playwright can tell;
//   questions: [[call, args], ...] asked of the element found (see page-calls.js).
// Returns {index, answers} (the alternative found, and one answer per question); ABSENT when
// no alternative can be on the page now; NEXT when only Playwright can tell.
([alternatives, state, questions]) => {
  // @include switch-lib.js
  // @include guard-lib.js
  // @include switch-facts.js
  // @include native-css.js
  // @include page-calls.js
  // @const ABSENT
  for (let i = 0; i < alternatives.length; i++) {
    const alt = alternatives[i];
    if (!alt) return NEXT;
    const found = nativeQueryAll([alt.css || alt.superset]);
    if (found === null) return NEXT;
    if (!alt.css) {
      if (found.length) return NEXT;  // maybe: Playwright decides
      continue;
    }
    const el = found[0];
    if (!el) continue;
    if (state === 'visible') {
      const visible = nativeVisible(el);
      if (visible === null) return NEXT;
      if (!visible) continue;
    }
    return {index: i, answers: questions.map(([call, args]) => pageCall(el, call, args))};
  }
  return ABSENT;
}
