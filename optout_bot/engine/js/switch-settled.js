// A wait_for_function predicate: has the page stopped working on the switch (it is disabled
// or aria-busy while it saves)? Receives [element, wanted ('on' | 'off')]. Returns true once
// it is not busy or reads wanted; 'gone' once the element is detached; false meanwhile.
([el, wanted]) => {
  // @include switch-lib.js
  return !el.isConnected ? 'gone' : !busy(el) || read(el) === wanted;
}
