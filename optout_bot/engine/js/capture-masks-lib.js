// paint(elements, color) and unpaint(): the evidence screenshot's masks. paint() covers
// every box of every element in solid color, in a closed shadow root on one element
// (<optout-bot-masks>), so page styles cannot reach the masks and page scripts cannot read
// them; `pointer-events: none` keeps them out of every hit test. unpaint() removes them.
// Functions to include, not a script of their own.
function unpaint() {
  document.querySelectorAll('optout-bot-masks').forEach((n) => n.remove());
}

function paint(elements, color) {
  unpaint();
  if (!elements.length) return;
  const host = document.createElement('optout-bot-masks');
  const fixed = 'position:fixed;inset:0;z-index:2147483647;pointer-events:none;display:block';
  host.setAttribute('style', fixed.replace(/;/g, ' !important;') + ' !important');
  const root = host.attachShadow({mode: 'closed'});
  for (const el of elements) {
    for (const r of el.getClientRects()) {
      if (r.width <= 0 || r.height <= 0) continue;
      const box = document.createElement('div');
      box.style.cssText = `position:fixed;left:${r.left}px;top:${r.top}px;`
        + `width:${r.width}px;height:${r.height}px;background:${color}`;
      root.appendChild(box);
    }
  }
  document.documentElement.appendChild(host);
}
