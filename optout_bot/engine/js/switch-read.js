// Reads a switch three-way (see switch.py). Receives the element a locator or handle found
// (the switch, its label's row, or a web component's host). Returns 'on', 'off' or
// 'unknown' (missing, detached, indeterminate or unreadable: never 'off').
(el) => {
  // @include switch-lib.js
  return read(el);
}
