// A wait_for_function predicate: has the switch come to read the wanted state? Receives
// [element, wanted ('on' | 'off')]. Returns true once it reads wanted; 'gone' once the
// element is detached (a re-render replaced it: the caller waits again on what the locator
// finds now); false meanwhile (the wait polls on).
([el, wanted]) => {
  // @include switch-lib.js
  return !el.isConnected ? 'gone' : read(el) === wanted;
}
