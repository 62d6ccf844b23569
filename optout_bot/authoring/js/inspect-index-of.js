// Where each control sits in the list a locator found (for evaluate_all on that locator).
// Receives (the locator's elements, the controls). Returns each control's index in that
// list, -1 when it is not in it.
(els, targets) => targets.map((t) => els.indexOf(t))
