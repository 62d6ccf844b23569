// The page's own words for the skeleton: its title, its first visible <h1> (else the first
// <h1>) and its og:site_name. Receives nothing. Returns {title, heading, siteName}.
() => {
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const h1 = Array.from(document.querySelectorAll('h1')).find(visible)
    || document.querySelector('h1');
  const meta = document.querySelector('meta[property="og:site_name"]');
  return {
    title: norm(document.title),
    heading: h1 ? norm(h1.textContent) : '',
    siteName: meta ? norm(meta.getAttribute('content')) : '',
  };
}
