# ruff: noqa: E501  (HTML, CSS and JS templates: their lines follow the markup)
"""The replica's HTML pages, rendered from Python string templates.

Each function returns a whole document. Anything dynamic goes through `e()` (html.escape);
text comes from the language's string table (`optout_bot.replicas.strings`). Markup that a flow
or a test relies on (ids, roles, aria-* and hrefs) follows the public facts in
shared/reference/linkedin.md.
"""

from __future__ import annotations

import functools
import html
import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from optout_bot.replicas import classnames
from optout_bot.replicas.assets import CSS, ICONS, JS, LOGO, NOT_FOUND_ART, WORDMARK, avatar_uri
from optout_bot.replicas.state import (
    AI_SETTING,
    MOVED_AI_SLUG,
    PROMO_DELAY_MS,
    RENAMED_SWITCH_LABEL_ID,
    SETTINGS_BY_KEY,
    SETTINGS_BY_SLUG,
    Account,
    SettingDef,
)

#: Settings categories, in the order of the left menu.
CATEGORIES = ("account", "sign-in-and-security", "visibility", "privacy", "ads", "notifications")
_CATEGORY_ICON = {
    "account": "account",
    "sign-in-and-security": "sign-in-and-security",
    "visibility": "visibility",
    "privacy": "privacy",
    "ads": "ads",
    "notifications": "notifications",
}

#: What each category lists: (section, row slugs). A slug of a switch-type setting
#: (state.SETTINGS) shows its On/Off; other rows lead to a placeholder page.
CATEGORY_SECTIONS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "account": (
        ("profile-information", ("name-location-industry", "demographic-info", "verifications")),
        ("display", ("dark-mode",)),
        ("general-preferences", ("site-language", "content-language", "autoplay-videos")),
    ),
    "sign-in-and-security": (
        (
            "account-access",
            (
                "email-addresses",
                "phone-numbers",
                "change-password",
                "where-signed-in",
                "two-step-verification",
            ),
        ),
    ),
    "visibility": (
        (
            "profile-network",
            (
                "profile-viewing-options",
                "edit-public-profile",
                "email-visibility",
                "connections-visibility",
            ),
        ),
    ),
    "privacy": (
        (
            "data-uses",
            (
                "manage-data-and-activity",
                "download-your-data",
                "search-history",
                "demographic-info",
                "policy-and-academic-research",
                "data-for-ai-improvement",
                "member-cookies",
            ),
        ),
        ("who-can-reach-you", ("invitations", "messages", "research-invites")),
    ),
    "ads": (
        (
            "profile-data",
            ("ads-inferred-location", "ads-by-age", "ads-by-gender", "interest-categories"),
        ),
        (
            "third-party-data",
            (
                "ads-beyond-linkedin",
                "ads-interactions-with-business",
                "share-data-with-select-partners",
                "ads-related-actions",
                "linkedin-promotions",
            ),
        ),
    ),
    "notifications": (
        (
            "notifications-received",
            (
                "searching-for-a-job",
                "connecting-with-others",
                "posting-and-commenting",
                "messaging-notifications",
            ),
        ),
    ),
}


#: Rows that are not switch-type settings -> the category that lists them (their pages are
#: placeholders).
def _placeholder_categories() -> dict[str, str]:
    found: dict[str, str] = {}
    for category, sections in CATEGORY_SECTIONS.items():
        for _, slugs in sections:
            for slug in slugs:
                if slug not in SETTINGS_BY_SLUG:
                    found.setdefault(slug, category)
    return found


PLACEHOLDER_CATEGORY = _placeholder_categories()

#: With `Scenario.reordered_menus`, the section of Data privacy that the AI row moves to.
AI_SECTION_REORDERED = "other-applications"


def category_sections(
    category: str, reordered: bool = False
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A category's sections and rows, as the page lists them.

    Reordered (a redesign): sections and the rows in each come in reverse order, and in Data
    privacy the AI setting's row leaves "How LinkedIn uses your data" for a section of its
    own at the end.
    """
    sections = CATEGORY_SECTIONS[category]
    if not reordered:
        return sections
    ai_slug = SETTINGS_BY_KEY[AI_SETTING].slug
    out = tuple(
        (section, tuple(slug for slug in reversed(slugs) if slug != ai_slug))
        for section, slugs in reversed(sections)
    )
    if any(ai_slug in slugs for _, slugs in sections):
        out += ((AI_SECTION_REORDERED, (ai_slug,)),)
    return out


def menu_categories(reordered: bool = False) -> tuple[str, ...]:
    """The settings menu: Data privacy first when reordered, the rest reversed."""
    if not reordered:
        return CATEGORIES
    return ("privacy", *(c for c in reversed(CATEGORIES) if c != "privacy"))


@functools.cache
def renamed_css() -> str:
    return classnames.rename_css(CSS)


LEARN_MORE_HREF = "/help/linkedin/answer/a5538339"
ARIA_CURRENT = ' aria-current="page"'


def e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _json_for_script(data: dict[str, Any]) -> str:
    # "<" escaped so no value can end the <script> element early.
    return json.dumps(data).replace("<", "\\u003c")


@dataclass(frozen=True)
class PageContext:
    """What every page needs to know about the request it answers."""

    s: dict[str, Any]
    language: str
    member: Account | None = None
    mobile: bool = False
    #: Show the "Try Premium" modal (the server sets it for signed-in pages only).
    promo: bool = False
    #: The JSESSIONID value, also offered as <meta name="csrf-token">.
    csrf: str = ""
    # The UI variant (see `Scenario`): how the switch is marked up, hashed class names,
    # menus in another order, and when the promotion appears.
    switch_markup: str = "checkbox"
    renamed_classes: bool = False
    reordered_menus: bool = False
    promo_delay_ms: int = PROMO_DELAY_MS
    #: The AI setting's page is at its new address (`Scenario.moved_setting`).
    moved_setting: bool = False
    #: The AI setting's switch has a new label id and wording (`Scenario.renamed_switch`).
    renamed_switch: bool = False

    @property
    def profile_href(self) -> str:
        name = self.member.name if self.member else "member"
        return "/in/" + "-".join(name.lower().split()) + "/"


def document(ctx: PageContext, title: str, body: str, config: dict[str, Any] | None = None) -> str:
    s = ctx.s
    cfg: dict[str, Any] = {
        "member": ctx.member is not None,
        "strings": {
            "on": s["settings.on"],
            "off": s["settings.off"],
            "saved": s["settings.saved"],
            "saveFailed": s["settings.save_failed"],
        },
    }
    cfg.update(config or {})
    promo = ""
    if ctx.promo:
        promo = _promo_template(ctx)
        cfg["promoDelayMs"] = ctx.promo_delay_ms
    css = CSS
    if ctx.renamed_classes:
        css = renamed_css()
        cfg.update(classnames.script_names())
    csrf = f'<meta name="csrf-token" content="{e(ctx.csrf)}">\n' if ctx.csrf else ""
    page = f"""<!DOCTYPE html>
<html lang="{e(ctx.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title + s["title_suffix"])}</title>
{csrf}<link rel="icon" href="data:,">
<style>{css}</style>
</head>
<body class="{"mobile" if ctx.mobile else "desktop"}">
{body}
<div id="toasts" class="artdeco-toasts" aria-live="polite"></div>
{promo}
<script type="application/json" id="replica-config">{_json_for_script(cfg)}</script>
<script>{JS}</script>
</body>
</html>
"""
    # The stylesheet and the script contain no class or id attributes, only the markup does.
    return classnames.rename_markup(page) if ctx.renamed_classes else page


def _avatar(ctx: PageContext, alt: str = "", size: int = 24) -> str:
    name = ctx.member.name if ctx.member else ""
    return (
        f'<img class="avatar" src="{e(avatar_uri(name))}" alt="{e(alt)}" '
        f'width="{size}" height="{size}">'
    )


def _promo_template(ctx: PageContext) -> str:
    s = ctx.s
    return f"""<template id="promo-template">
<div id="promo-overlay" class="artdeco-modal-overlay">
<div role="dialog" aria-modal="true" aria-labelledby="promo-title" class="artdeco-modal">
<div class="artdeco-modal__header"><h2 id="promo-title"><span class="premium-badge" aria-hidden="true"></span>{e(s["promo.title"])}</h2></div>
<button type="button" class="artdeco-modal__dismiss" aria-label="{e(s["promo.dismiss"])}">{ICONS["close"]}</button>
<div class="artdeco-modal__content"><p>{e(s["promo.text"])}</p></div>
<div class="artdeco-modal__actionbar"><button type="button" class="artdeco-button artdeco-button--primary" data-promo-try>{e(s["promo.try"])}</button></div>
</div>
</div>
</template>"""


# --------------------------------------------------------------------------------------------
# Top bars
# --------------------------------------------------------------------------------------------

_PRIMARY_LINKS = (
    ("home", "/feed/", "nav.home"),
    ("network", "/mynetwork/", "nav.network"),
    ("jobs", "/jobs/", "nav.jobs"),
    ("messaging", "/messaging/", "nav.messaging"),
    ("notifications", "/notifications/", "nav.notifications"),
)


def global_nav(ctx: PageContext, active: str = "") -> str:
    """The desktop top bar with the Me menu (signed-in pages only)."""
    s = ctx.s
    assert ctx.member is not None
    items = []
    for key, href, label in _PRIMARY_LINKS:
        current = key == active
        items.append(
            '<li class="global-nav__primary-item">'
            f'<a class="global-nav__primary-link{" global-nav__primary-link--active" if current else ""}"'
            f' href="{href}"{ARIA_CURRENT if current else ""}>'
            f"{ICONS[key]}<span>{e(s[label])}</span></a></li>"
        )
    return f"""<header id="global-nav" class="global-nav">
<div class="global-nav__content">
<a class="global-nav__logo" href="/feed/" aria-label="{e(s["brand"])}">{LOGO}</a>
<div class="global-nav__search">{ICONS["search"]}<input type="search" placeholder="{e(s["nav.search"])}" aria-label="{e(s["nav.search"])}"></div>
<nav class="global-nav__nav" aria-label="{e(s["nav.primary"])}">
<ul class="global-nav__primary-items">
{"".join(items)}
<li class="global-nav__primary-item">
<button aria-expanded="false" class="global-nav__primary-link global-nav__primary-link-me-menu-trigger" type="button">{_avatar(ctx, ctx.member.name)}<span>{e(s["nav.me"])}{ICONS["caret"]}</span></button>
{_me_menu(ctx)}
</li>
</ul>
</nav>
</div>
</header>"""


def _me_menu(ctx: PageContext) -> str:
    s = ctx.s
    assert ctx.member is not None
    account = (
        ("/mypreferences/d/categories/account", s["me.settings"]),
        ("/help/", s["me.help"]),
        ("/mypreferences/d/settings/site-language", s["me.language"]),
    )
    manage = (
        (f"{ctx.profile_href}recent-activity/all/", s["me.posts"]),
        ("/my-items/posted-jobs/", s["me.job_posting"]),
    )
    sections = [(s["me.account"], account), (s["me.manage"], manage)]
    if ctx.reordered_menus:
        # Manage first, and Settings & Privacy last in its section.
        sections = [(title, links[::-1]) for title, links in reversed(sections)]
    menu = "\n".join(
        f'<div class="me-section"><h3>{e(title)}</h3><ul>\n'
        + "".join(f'<li><a href="{e(href)}">{e(text)}</a></li>\n' for href, text in links)
        + "</ul></div>"
        for title, links in sections
    )
    return f"""<div id="me-menu" class="global-nav__me-content" hidden>
<div class="me-profile">{_avatar(ctx, "", 56)}<div><strong>{e(ctx.member.name)}</strong><span class="muted">{e(s["member.headline"])}</span></div></div>
<a class="artdeco-button me-view" href="{e(ctx.profile_href)}">{e(s["me.view_profile"])}</a>
{menu}
<div class="me-section"><ul><li><a href="/m/logout/">{e(s["me.sign_out"])}</a></li></ul></div>
</div>"""


def mobile_top_bar(ctx: PageContext) -> str:
    """The mobile top bar: profile photo (opens the drawer), search, messaging."""
    s = ctx.s
    assert ctx.member is not None
    links = [
        (ctx.profile_href, s["m.view_profile"]),
        ("/mypreferences/m/home", s["m.settings"]),
        ("/help/", s["m.help"]),
    ]
    if ctx.reordered_menus:
        links.reverse()
    links.append(("/m/logout/", s["m.sign_out"]))
    drawer = "\n".join(f'<li><a href="{e(href)}">{e(text)}</a></li>' for href, text in links)
    return f"""<header id="global-nav" class="m-topbar">
<button type="button" class="m-topbar__avatar" aria-label="{e(s["m.open_menu"])}" aria-expanded="false" data-drawer-open>{_avatar(ctx, "", 32)}</button>
<div class="global-nav__search">{ICONS["search"]}<input type="search" placeholder="{e(s["nav.search"])}" aria-label="{e(s["nav.search"])}"></div>
<a href="/messaging/" aria-label="{e(s["nav.messaging"])}">{ICONS["messaging"]}</a>
</header>
<div id="nav-drawer-backdrop" class="m-drawer-backdrop" hidden></div>
<nav id="nav-drawer" class="m-drawer" aria-label="{e(s["m.drawer"])}" hidden>
<button type="button" class="m-drawer__close" aria-label="{e(s["m.close_menu"])}" data-drawer-close>{ICONS["close"]}</button>
<div class="m-drawer__profile">{_avatar(ctx, "", 64)}<strong>{e(ctx.member.name)}</strong><span class="muted">{e(s["member.headline"])}</span></div>
<ul>
{drawer}
</ul>
</nav>"""


def _mobile_bottom_nav(ctx: PageContext) -> str:
    s = ctx.s
    links = (
        ("home", "/feed/", s["nav.home"]),
        ("network", "/mynetwork/", s["nav.network"]),
        ("post", "/feed/?shareActive=true", s["m.post"]),
        ("notifications", "/notifications/", s["nav.notifications"]),
        ("jobs", "/jobs/", s["nav.jobs"]),
    )
    items = "".join(
        f'<a href="{href}">{ICONS[icon]}<span>{e(text)}</span></a>' for icon, href, text in links
    )
    return f'<div class="m-bottom-nav">{items}</div>'


def _mobile_settings_bar(ctx: PageContext, back_href: str, title: str) -> str:
    return f"""<header id="global-nav" class="m-topbar">
<a class="m-topbar__back" href="{e(back_href)}" aria-label="{e(ctx.s["settings.back"])}">{ICONS["back"]}</a>
<span class="m-topbar__title">{e(title)}</span>
</header>"""


def _guest_header(ctx: PageContext) -> str:
    return f'<header class="guest-header"><a href="/">{WORDMARK}</a></header>'


# --------------------------------------------------------------------------------------------
# Member pages
# --------------------------------------------------------------------------------------------


def feed_page(ctx: PageContext) -> str:
    s = ctx.s
    assert ctx.member is not None
    posts = "".join(
        f"""<article class="artdeco-card post">
<div class="post__head"><div class="post__avatar" aria-hidden="true">{e(author[0])}</div>
<div><div class="post__author">{e(author)}</div><div class="post__sub">{e(sub)}</div></div></div>
<p class="post__text">{e(text)}</p>
<div class="post__actions"><span>{e(s["feed.like"])}</span><span>{e(s["feed.comment"])}</span><span>{e(s["feed.repost"])}</span><span>{e(s["feed.send"])}</span></div>
</article>"""
        for author, sub, text in s["feed.posts"]
    )
    share = f"""<div class="artdeco-card share-box">{_avatar(ctx, "", 48)}<button type="button">{e(s["feed.start_post"])}</button></div>"""
    if ctx.mobile:
        body = f"""{mobile_top_bar(ctx)}
<main class="m-page">{share}{posts}</main>
{_mobile_bottom_nav(ctx)}"""
        return document(ctx, s["feed.title"], body)
    news = "".join(f"<li>{e(item)}</li>" for item in s["feed.news_items"])
    body = f"""{global_nav(ctx, active="home")}
<div class="page feed-layout">
<aside class="artdeco-card profile-card">
<div class="profile-card__cover"></div>
<div class="profile-card__body">{_avatar(ctx, "", 72)}<h2>{e(ctx.member.name)}</h2><p class="muted">{e(s["member.headline"])}</p><p class="muted">{e(s["member.location"])}</p></div>
<div class="profile-card__stats"><div><span>{e(s["feed.profile_viewers"])}</span><b>42</b></div><div><span>{e(s["feed.post_impressions"])}</span><b>317</b></div></div>
</aside>
<main>{share}{posts}</main>
<aside class="artdeco-card news"><h2>{e(s["feed.news"])}</h2><ul>{news}</ul></aside>
</div>"""
    return document(ctx, s["feed.title"], body)


def _settings_nav(ctx: PageContext, variant: str, current: str = "") -> str:
    s = ctx.s
    items = "".join(
        f'<li><a href="/mypreferences/{variant}/categories/{cat}"'
        f"{ARIA_CURRENT if cat == current else ''}>"
        f"{ICONS[_CATEGORY_ICON[cat]]}<span>{e(s['category'][cat])}</span></a></li>"
        for cat in menu_categories(ctx.reordered_menus)
    )
    return f'<nav aria-label="{e(s["settings.nav"])}" class="settings-nav"><ul>{items}</ul></nav>'


def _desktop_settings(
    ctx: PageContext, current: str, title: str, main: str, config: dict[str, Any] | None = None
) -> str:
    s = ctx.s
    body = f"""{global_nav(ctx)}
<div class="page settings-layout">
<aside class="artdeco-card settings-side">
<div class="settings-side__head">{_avatar(ctx, "", 32)}<h2>{e(s["settings.title"])}</h2></div>
{_settings_nav(ctx, "d", current)}
</aside>
<main class="settings-main">{main}</main>
</div>
<footer><p><a href="/help/linkedin">{e(s["footer.help"])}</a> ·
<a href="/legal/privacy-policy">{e(s["footer.privacy"])}</a> ·
<a href="https://careers.linkedin.com/">{e(s["footer.careers"])}</a> ·
{e(s["footer.corp"])}</p></footer>"""
    return document(ctx, title, body, config)


def _row(ctx: PageContext, variant: str, slug: str, values: dict[str, bool]) -> str:
    s = ctx.s
    setting = SETTINGS_BY_SLUG.get(slug)
    if setting is not None:
        title = s["setting"][setting.key]["title"]
        value = s["settings.on"] if values[setting.key] else s["settings.off"]
    else:
        title = s["row"][slug]
        value = s["row_value"].get(slug, "")
    value_html = f' <span class="settings-row__value">{e(value)}</span>' if value else ""
    href = setting.path(variant) if setting else f"/mypreferences/{variant}/settings/{slug}"
    if setting is not None and ctx.moved_setting and setting.key == AI_SETTING:
        href = f"/mypreferences/{variant}/settings/{MOVED_AI_SLUG}"
    return (
        f'<li class="settings-row"><a href="{href}">'
        f'<span class="settings-row__title">{e(title)}</span>{value_html}{ICONS["chevron"]}</a></li>'
    )


def _sections(
    ctx: PageContext, variant: str, category: str, values: dict[str, bool], hidden: frozenset[str]
) -> str:
    out = []
    for section, slugs in category_sections(category, ctx.reordered_menus):
        rows = "".join(
            _row(ctx, variant, slug, values)
            for slug in slugs
            if not (slug in SETTINGS_BY_SLUG and SETTINGS_BY_SLUG[slug].key in hidden)
        )
        out.append(
            f'<section class="artdeco-card settings-section" aria-labelledby="section-{section}">'
            f'<h2 id="section-{section}">{e(ctx.s["section"][section])}</h2><ul>{rows}</ul></section>'
        )
    return "\n".join(out)


def category_page(
    ctx: PageContext,
    variant: str,
    category: str,
    values: dict[str, bool],
    hidden: frozenset[str] = frozenset(),
) -> str:
    """A settings category (Account preferences, Data privacy, ...): sections of rows.

    `values` are the member's settings (for the On/Off of switch rows); settings in `hidden`
    are not offered to this account and get no row.
    """
    s = ctx.s
    title = s["category"][category]
    sections = _sections(ctx, variant, category, values, hidden)
    heading = f'<h1 class="visually-hidden">{e(title)}</h1>'
    if variant == "d":
        return _desktop_settings(ctx, category, title, heading + sections)
    body = f"""{_mobile_settings_bar(ctx, "/mypreferences/m/home", title)}
<main class="m-page">{heading}{sections}</main>"""
    return document(ctx, title, body)


def mobile_settings_home(ctx: PageContext) -> str:
    s = ctx.s
    body = f"""{_mobile_settings_bar(ctx, "/feed/", s["settings.title"])}
<main class="m-page"><div class="artdeco-card">
<div class="m-settings-head">{_avatar(ctx, "", 40)}<h1>{e(s["settings.title"])}</h1></div>
{_settings_nav(ctx, "m")}
</div></main>"""
    return document(ctx, s["settings.title"], body)


def switch_html(
    ctx: PageContext,
    key: str,
    label: str,
    checked: bool,
    own_id: bool = False,
    label_id: str | None = None,
) -> str:
    """The switch as LinkedIn marks it up: a native checkbox with role="switch", named by the
    label whose id is the setting key (the same in every language).

    With switch_markup "aria-button" it is a <button role="switch" aria-checked> instead (no
    input), still named by the same label. With `own_id` (the interest and cookie pages) the
    switch itself carries the key as its id, and its label is "<key>-label". With `label_id`
    (`Scenario.renamed_switch`) the label has that id instead of the key, and the switch
    names its key in data-setting-key for the page's script.
    """
    if own_id:
        label_id = f"{key}-label"
        state = ctx.s["settings.on"] if checked else ctx.s["settings.off"]
        return f"""<div class="toggle-row">
<input role="switch" type="checkbox" id="{e(key)}" class="artdeco-toggle__button" data-setting-key="{e(key)}" aria-labelledby="{e(label_id)}" aria-checked="{"true" if checked else "false"}"{" checked" if checked else ""}>
<span class="artdeco-toggle__text" aria-hidden="true">{e(state)}</span>
<label id="{e(label_id)}" for="{e(key)}">{e(label)}</label>
</div>"""
    ember = f"ember-{100 + secrets.randbelow(9900)}"
    state = ctx.s["settings.on"] if checked else ctx.s["settings.off"]
    aria_checked = "true" if checked else "false"
    label_id = label_id or key
    keyed = f' data-setting-key="{e(key)}"' if label_id != key else ""
    if ctx.switch_markup == "aria-button":
        control = (
            f'<button type="button" role="switch" id="{ember}" class="artdeco-toggle__button" '
            f'aria-checked="{aria_checked}" aria-labelledby="{e(label_id)}"{keyed}></button>'
        )
    else:
        control = f"""<input role="switch" type="checkbox" id="{ember}" class="artdeco-toggle__button" data-artdeco-toggle-button="true" aria-labelledby="{e(label_id)}"{keyed} aria-checked="{aria_checked}"{" checked" if checked else ""}>"""
    return f"""<div class="toggle-row">
{control}
<span class="artdeco-toggle__text" aria-hidden="true">{e(state)}</span>
<label id="{e(label_id)}" for="{ember}">{e(label)}</label>
</div>"""


def setting_page(
    ctx: PageContext, variant: str, setting: SettingDef, checked: bool, late_switch_ms: int = 0
) -> str:
    """A switch-type setting's page; with late_switch_ms the switch arrives by script later."""
    s = ctx.s
    text = s["setting"][setting.key]
    back = f"/mypreferences/{variant}/categories/{setting.category}"
    if ctx.renamed_switch and setting.key == AI_SETTING:
        switch = switch_html(
            ctx, setting.key, text["label_renamed"], checked, label_id=RENAMED_SWITCH_LABEL_ID
        )
    else:
        switch = switch_html(ctx, setting.key, text["label"], checked, own_id=setting.own_page)
    config: dict[str, Any] = {}
    if late_switch_ms > 0:
        # In a <template>, the switch is not part of the document until the script adds it.
        switch = f'<div id="late-switch-slot"></div><template id="late-switch">{switch}</template>'
        config["lateSwitchMs"] = late_switch_ms
    back_link = (
        f'<a class="back-link" href="{back}">{ICONS["back"]}<span>{e(s["settings.back"])}</span></a>'
        if variant == "d"
        else ""
    )
    detail = f"""<section class="artdeco-card setting-detail">
{back_link}
<h1>{e(text["title"])}</h1>
<p class="setting-detail__question">{e(text["question"])}</p>
{switch}
<p class="setting-detail__helper">{e(text["help"])} <a href="{LEARN_MORE_HREF}">{e(s["settings.learn_more"])}</a></p>
</section>"""
    if variant == "d":
        return _desktop_settings(ctx, setting.category, text["title"], detail, config)
    body = f"""{_mobile_settings_bar(ctx, back, s["category"][setting.category])}
<main class="m-page">{detail}</main>"""
    return document(ctx, text["title"], body, config)


def placeholder_setting_page(ctx: PageContext, variant: str, slug: str, category: str) -> str:
    """A row's page that is not a switch (Search history, Email addresses, ...)."""
    s = ctx.s
    title = s["row"][slug]
    back = f"/mypreferences/{variant}/categories/{category}"
    back_link = (
        f'<a class="back-link" href="{back}">{ICONS["back"]}<span>{e(s["settings.back"])}</span></a>'
        if variant == "d"
        else ""
    )
    detail = f"""<section class="artdeco-card setting-detail">{back_link}
<h1>{e(title)}</h1><p class="setting-detail__question muted">{e(s["settings.placeholder"])}</p></section>"""
    if variant == "d":
        return _desktop_settings(ctx, category, title, detail)
    body = f"""{_mobile_settings_bar(ctx, back, s["category"][category])}
<main class="m-page">{detail}</main>"""
    return document(ctx, title, body)


def member_placeholder_page(ctx: PageContext, title: str, active: str = "") -> str:
    """My Network, Jobs, a profile, Help...: the chrome around a short note."""
    s = ctx.s
    card = f"""<div class="artdeco-card placeholder"><h1>{e(title)}</h1><p class="muted">{e(s["placeholder.text"])}</p></div>"""
    if ctx.mobile:
        body = (
            f"""{mobile_top_bar(ctx)}<main class="m-page">{card}</main>{_mobile_bottom_nav(ctx)}"""
        )
    else:
        body = f"""{global_nav(ctx, active)}<main class="page">{card}</main>"""
    return document(ctx, title, body)


# --------------------------------------------------------------------------------------------
# Logged-out pages, checkpoint, not found
# --------------------------------------------------------------------------------------------


def _guest_page(
    ctx: PageContext, title: str, card: str, config: dict[str, Any] | None = None, footer: str = ""
) -> str:
    body = f"""{_guest_header(ctx)}
<main class="guest-main"><div class="guest-card">{card}</div></main>
{footer}"""
    return document(ctx, title, body, config)


def login_page(ctx: PageContext, token: str, redirect: str, error: str = "") -> str:
    s = ctx.s
    error_html = f'<p class="form-error" role="alert">{e(error)}</p>' if error else ""
    join = "/signup/cold-join?" + urlencode({"session_redirect": redirect})
    card = f"""<h1>{e(s["login.title"])}</h1>
<p class="subtitle muted">{e(s["login.subtitle"])}</p>
{error_html}<form method="post" action="/checkpoint/lg/login-submit">
<input type="hidden" name="session_redirect" value="{e(redirect)}">
<div class="field"><label for="username">{e(s["login.email"])}</label><input id="username" name="session_key" type="text" autocomplete="username" required></div>
<div class="field"><label for="password">{e(s["login.password"])}</label><input id="password" name="session_password" type="password" autocomplete="current-password" required></div>
<a class="forgot" href="/checkpoint/rp/request-password-reset">{e(s["login.forgot"])}</a>
<button class="artdeco-button artdeco-button--primary artdeco-button--block" type="submit">{e(s["login.submit"])}</button>
</form>
<div class="divider">{e(s["login.or"])}</div>
<div class="app-approval" role="status"><span class="app-approval__spinner" aria-hidden="true"></span>
<div><p>{e(s["login.app_hint"])}</p><p class="muted">{e(s["login.waiting"])}</p></div></div>"""
    footer = f'<p class="guest-footer">{e(s["login.new"])} <a href="{e(join)}">{e(s["login.join"])}</a></p>'
    return _guest_page(ctx, s["login.page_title"], card, {"loginToken": token}, footer)


def authwall_page(ctx: PageContext, redirect: str) -> str:
    s = ctx.s
    query = urlencode({"session_redirect": redirect}) if redirect else ""
    login = "/login" + ("?" + query if query else "")
    join = "/signup/cold-join" + ("?" + query if query else "")
    card = f"""<h1>{e(s["authwall.title"])}</h1>
<p class="subtitle muted">{e(s["authwall.text"])}</p>
<a class="artdeco-button artdeco-button--primary artdeco-button--block" href="{e(login)}">{e(s["authwall.sign_in"])}</a>
<div class="divider">{e(s["login.or"])}</div>
<a class="artdeco-button artdeco-button--block" href="{e(join)}">{e(s["authwall.join"])}</a>"""
    return _guest_page(ctx, s["authwall.page_title"], card)


def signup_page(ctx: PageContext, redirect: str) -> str:
    s = ctx.s
    login = "/login" + ("?" + urlencode({"session_redirect": redirect}) if redirect else "")
    card = f"""<h1>{e(s["signup.title"])}</h1>
<p class="subtitle muted">{e(s["signup.text"])}</p>
<a class="artdeco-button artdeco-button--primary artdeco-button--block" href="{e(login)}">{e(s["login.submit"])}</a>"""
    return _guest_page(ctx, s["authwall.page_title"], card)


def guest_home_page(ctx: PageContext) -> str:
    s = ctx.s
    card = f"""<h1>{e(s["home.title"])}</h1><p class="subtitle"></p>
<a class="artdeco-button artdeco-button--primary artdeco-button--block" href="/login">{e(s["home.sign_in"])}</a>"""
    return _guest_page(ctx, s["brand"], card)


def checkpoint_page(ctx: PageContext, challenge: str, redirect: str) -> str:
    s = ctx.s
    card = f"""<h1>{e(s["checkpoint.title"])}</h1>
<p class="subtitle muted">{e(s["checkpoint.text"])}</p>
<form method="post" action="/checkpoint/challenge/verify">
<input type="hidden" name="challengeId" value="{e(challenge)}">
<input type="hidden" name="session_redirect" value="{e(redirect)}">
<button class="artdeco-button artdeco-button--primary artdeco-button--block" type="submit">{e(s["checkpoint.verify"])}</button>
</form>"""
    return _guest_page(ctx, s["checkpoint.page_title"], card)


def not_found_page(ctx: PageContext) -> str:
    """LinkedIn's "Page not found"; signed-in members keep the top bar, as on the real site."""
    s = ctx.s
    card = f"""<div class="artdeco-card notfound">{NOT_FOUND_ART}
<h1>{e(s["notfound.title"])}</h1>
<p>{e(s["notfound.text"])}</p>
<a class="artdeco-button artdeco-button--primary" href="/feed/">{e(s["notfound.home"])}</a></div>"""
    if ctx.member is None:
        body = f"""{_guest_header(ctx)}<main class="page">{card}</main>"""
    elif ctx.mobile:
        body = f"""{mobile_top_bar(ctx)}<main class="m-page">{card}</main>"""
    else:
        body = f"""{global_nav(ctx)}<main class="page">{card}</main>"""
    return document(ctx, s["notfound.page_title"], body)
