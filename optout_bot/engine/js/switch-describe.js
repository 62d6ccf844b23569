// What identifies the switch on the page, and its live state, for the evidence record.
// Receives (element, attribute names). Returns {tag, <each attribute>: value or null,
// control (when the state is carried by an inner element), checked, label}.
(el, attrs) => {
  // @include switch-lib.js
  return describe(el, attrs);
}
