// The element that carries the switch's state: the element itself, or the one switch-like
// control in its open shadow root, else in its light DOM. Receives the element the flow's
// locator found. Returns that control (for evaluate_handle), or null when there is none or
// more than one.
(el) => {
  // @include switch-lib.js
  return control(el);
}
