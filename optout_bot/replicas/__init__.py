"""A faithful local replica of the LinkedIn pages around "Data for Generative AI Improvement".

Tests (and people) drive a real Chromium against it as if it were https://www.linkedin.com:

    from optout_bot.replicas import Replica, Scenario

    with Replica() as replica:
        browser = playwright.chromium.launch(args=replica.chromium_args())
        context = browser.new_context()
        context.add_cookies([replica.sign_in_cookie()])
        ...
        assert replica.get_setting("allowDataForGenerativeAI") is False

The same server plays other sites by the request's Host header (`site`, `bundled_sites()`):
ChatGPT (`chatgpt`, https://chatgpt.com, "Improve the model for everyone"; its page text in
`chatgpt/`, its own `ChatGPTScenario`), reached through `replica.site("chatgpt")`.

Modules: `server` (the HTTPS server and `Replica`), `state` (accounts, sessions, `Scenario`),
`pages` (HTML templates), `assets` (the inline CSS, script and icons), `strings` (UI text per
language), `classnames` (hashed class names for the renamed-build variant), `tls` (the
throwaway certificate).

Other sites are played by the same server, each a module of its own (`site` is the seam):
`x` is X (https://x.com) around the "Grok & Third-party Collaborators" training switch, its
page text in `replicas/x/`; `Replica.site("x")` reads and sets its state and its own
`XScenario` (a failing save, the 2024 wording).

`Scenario` also picks a UI variant (language, switch markup, renamed classes, reordered
menus, where a promotion appears): a redesign the flows must survive.
"""

from optout_bot.replicas.server import Replica
from optout_bot.replicas.state import Scenario

__all__ = ["Replica", "Scenario"]
