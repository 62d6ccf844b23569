// The origin of the page or frame it runs in, for telling same-origin iframes (inspected)
// from cross-origin ones (not). Receives nothing. Returns the origin ('null' when opaque).
() => self.origin
