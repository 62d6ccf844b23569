// Is the element a suggested locator found the control itself? Receives (element,
// control). Returns true or false.
(el, target) => el === target
