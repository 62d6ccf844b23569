// A wait_for_function predicate, the common case of switch-wait.js in one round trip: has
// the switch that the CSS finds (as Playwright's `.first` would) come to read the wanted
// state? Receives [css, wanted ('on' | 'off')]. Returns true once it reads wanted; false
// meanwhile, and while the CSS finds nothing or is not provably what Playwright finds (the
// caller's wait then ends by its timeout and the general way takes over).
([css, wanted]) => {
  // @include switch-lib.js
  // @include native-css.js
  const el = (nativeQueryAll([css]) || [])[0];
  return !!el && read(el) === wanted;
}
