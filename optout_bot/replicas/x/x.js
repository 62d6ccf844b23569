(() => {
  "use strict";
  const config = JSON.parse(document.getElementById("x-config").textContent);

  // Menus and disclosures: a button with aria-controls shows or hides what it names.
  const panels = new Map();
  function setOpen(button, open) {
    const panel = document.getElementById(button.getAttribute("aria-controls"));
    if (!panel) return;
    button.setAttribute("aria-expanded", String(open));
    panel.hidden = !open;
    if (panel.id === "drawer") document.getElementById("drawer-backdrop").hidden = !open;
    if (open) panels.set(panel, button); else panels.delete(panel);
  }
  document.querySelectorAll("button[aria-controls]").forEach((button) => {
    button.addEventListener("click", (event) => {
      event.stopPropagation();
      setOpen(button, button.getAttribute("aria-expanded") !== "true");
    });
  });
  // A click outside a menu or the drawer closes it (disclosures stay as they are).
  document.addEventListener("click", (event) => {
    for (const [panel, button] of [...panels]) {
      if (panel.getAttribute("role") === "group" || panel.contains(event.target)) continue;
      setOpen(button, false);
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const [panel, button] of [...panels]) {
      if (panel.getAttribute("role") !== "group") setOpen(button, false);
    }
  });

  function toast(text) {
    const box = document.createElement("div");
    box.className = "toast";
    box.setAttribute("role", "alert");
    box.setAttribute("data-testid", "toast");
    box.textContent = text;
    document.getElementById("toasts").append(box);
    setTimeout(() => box.remove(), 5000);
  }

  function cookie(name) {
    const found = document.cookie.split("; ").find((c) => c.startsWith(name + "="));
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }

  // A checkbox saves at once; a save that fails puts it back.
  document.querySelectorAll("input[type=checkbox][data-setting]").forEach((box) => {
    box.addEventListener("change", async () => {
      const value = box.checked;
      let ok = false;
      try {
        const response = await fetch(config.savePath, {
          method: "POST",
          credentials: "same-origin",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-csrf-token": cookie(config.csrfCookie),
            "x-twitter-active-user": "yes",
            "x-twitter-auth-type": "OAuth2Session",
          },
          body: new URLSearchParams({ [box.dataset.setting]: String(value) }),
        });
        ok = response.ok;
      } catch (error) {
        ok = false;
      }
      if (!ok) {
        box.checked = !value;
        toast("Something went wrong. Try reloading.");
      }
    });
  });

  // The cookie banner: its answer is saved, then it goes.
  const banner = document.getElementById("cookie-banner");
  if (banner) {
    banner.querySelectorAll("button[data-choice]").forEach((button) => {
      button.addEventListener("click", async () => {
        await fetch(config.consentPath, {
          method: "POST",
          credentials: "same-origin",
          body: button.getAttribute("data-choice"),
        });
        banner.remove();
      });
    });
  }
})();
