"""Flows are untrusted input: a shared flow must never delete, send, post, sign out, pay,
leave the site, run code or write outside the evidence folder."""

from __future__ import annotations

import pytest

from optout_bot.engine import guard, locators
from optout_bot.engine import steps as actions
from optout_bot.flow import FlowErrors, load_flow_text
from optout_bot.flow.model import Locator, Target
from tests.conftest import ACCOUNT, AI_KEY, LINKEDIN_FLOW


@pytest.mark.parametrize(
    "html",
    [
        "<button>Delete account</button>",
        "<button aria-label='Send'>➤</button>",
        "<a href='#'>Sign out</a>",
        "<button>Post</button>",
        "<button>Connect</button>",
        "<button>Try Premium for free</button>",
        "<button>Close account</button>",
        "<button>Abmelden</button>",
        "<button>Nachricht senden</button>",
        "<input type='submit' value='Buy now'>",
    ],
)
def test_the_click_guard_refuses_destructive_and_social_actions(page, html):
    """Clicks on elements that read as destructive or social actions are refused, unclicked."""
    page.set_content(f"<div id='t' onclick='window.clicked = true'>{html}</div>")
    target = Target((Locator("css", "#t > *"),))
    found = locators.find(page, target, 2_000)
    assert found is not None
    with pytest.raises(actions.Refused, match="and optout-bot never does those"):
        actions.guarded_click(found, 2_000)
    assert page.evaluate("window.clicked") is None


@pytest.mark.parametrize(
    "wording",
    [
        "Settings & Privacy",
        "Data privacy",
        "Data for Generative AI Improvement On",
        "Me",
        "Dismiss",
        "Einstellungen & Datenschutz",
        "Open navigation menu",
        "Messaging",
    ],
)
def test_the_click_guard_lets_the_settings_path_through(wording):
    """What a person clicks to reach a privacy setting is not refused."""
    assert guard.refusal(wording) is None


def _flow_with(replace: str, by: str) -> str:
    text = LINKEDIN_FLOW.read_text()
    assert replace in text
    return text.replace(replace, by, 1)


def test_a_flow_that_clicks_sign_out_is_stopped_before_the_click(linkedin, replica, tmp_path):
    """A shared flow that opens the Me menu and clicks Sign Out stops (exit 1), still signed in."""
    evil = tmp_path / "evil.yaml"
    evil.write_text(
        _flow_with(
            "    - click:\n        - css: 'a[href$=\"/mypreferences/d/categories/account\"]'",
            "    - click:\n        - css: 'a[href=\"/m/logout/\"]'\n    - click:\n"
            "        - css: 'a[href$=\"/mypreferences/d/categories/account\"]'",
        )
    )
    result = linkedin("run", "--yes", flow=str(evil))
    assert result.code == 1
    assert "refused to click" in result.json["reason"] and "Sign Out" in result.json["reason"]
    assert replica.writes == []
    assert linkedin("verify").json["login_reason"] == ""  # the session survived


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        (
            "    - goto: https://www.linkedin.com/feed/",
            "    - goto: https://evil.example/feed/",
            "outside allowed_origins",
        ),
        (
            "    - goto: https://www.linkedin.com/feed/",
            "    - goto: https://www.linkedin.com/feed/\n    - screenshot: ../../etc/passwd",
            "screenshot",
        ),
        (
            "    - goto: https://www.linkedin.com/feed/",
            "    - goto: https://www.linkedin.com/feed/\n    - evaluate: 'document.body.remove()'",
            "unknown step 'evaluate'",
        ),
        (
            "    - goto: https://www.linkedin.com/feed/",
            "    - goto: https://www.linkedin.com/feed/\n    - type: {css: input}",
            "unknown step 'type'",
        ),
        ("    - css: '#global-nav'", "    - css: 'js=document.body'", "css"),
        ("format: 1", "format: !!python/object/apply:os.system ['true']", "tag"),
    ],
    ids=["off-origin goto", "screenshot path", "js step", "typing", "js selector", "yaml tag"],
)
def test_malicious_flows_are_refused_before_anything_runs(
    replace, by, message, run_cli, replica, tmp_path
):
    """Each malicious flow is rejected at load (exit 2) with a reason; no browser starts."""
    text = _flow_with(replace, by)
    with pytest.raises(FlowErrors) as info:
        load_flow_text(text, "evil.yaml")
    assert message in str(info.value)
    evil = tmp_path / "evil.yaml"
    evil.write_text(text)
    result = run_cli(
        "run",
        str(evil),
        "--yes",
        "--headless",
        "--json",
        "--replica",
        f"127.0.0.1:{replica.port}",
        "--evidence-dir",
        str(tmp_path / "ev"),
    )
    assert result.code == 2
    assert not (tmp_path / "ev").exists()
    assert replica.writes == []
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is True


def test_screenshot_names_cannot_leave_the_evidence_folder():
    """Even a name that got past the loader is made safe: no separators, no dots."""
    from optout_bot.evidence.recorder import safe_name

    assert safe_name("../../etc/passwd") == "etc-passwd"
    assert "/" not in safe_name("a/b\\c") and ".." not in safe_name("..")


def test_dry_run_shows_the_plan_and_touches_nothing(run_cli, replica):
    """--dry-run lists every step and the switch it would click, opens no browser."""
    result = run_cli("run", "linkedin-ai-training", "--dry-run")
    assert result.code == 0
    assert "Nothing is opened" in result.out
    assert "1. open https://www.linkedin.com/feed/" in result.out
    assert 'aria-labelledby="allowDataForGenerativeAI"' in result.out
    assert "click it once to turn it OFF" in result.out
    assert replica.writes == []


def test_a_click_that_leaves_the_allowed_origins_stops_the_run(linkedin, replica, tmp_path):
    """A shared flow that clicks a link to another site is stopped there (exit 1), and
    nothing after it is clicked: not the switch either."""
    evil = tmp_path / "evil.yaml"
    evil.write_text(
        _flow_with(
            "    - click:\n        - css: 'nav a[href$=\"/mypreferences/d/categories/privacy\"]'",
            "    - click:\n        - css: 'a[href=\"https://careers.linkedin.com/\"]'\n"
            "    - click:\n        - css: 'nav a[href$=\"/mypreferences/d/categories/privacy\"]'",
        )
    )
    result = linkedin("run", "--yes", "--timeout", "5", flow=str(evil))
    assert result.code == 1
    assert (
        "tried to open https://careers.linkedin.com, outside the flow's allowed origins"
        in (result.json["reason"])
    )
    assert result.json["state_before"] == "unknown"
    assert replica.writes == []


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<a id='x' href='#'>Data privacy</a>", "Data privacy"),
        ("<button id='x' aria-label='Delete account'><svg></svg></button>", "Delete account"),
        ("<button id='x' title='Sign out'>  </button>", "Sign out"),
        ("<input id='x' type='submit' value='Post'>", "Post"),
        ("<button id='x' aria-label='Close'>\n  Close\n  dialog </button>", "Close dialog"),
    ],
)
def test_the_guard_reads_text_aria_label_title_and_value(page, markup, expected):
    """What the guard reads on an element: its name for a person, however it is given."""
    page.set_content(markup)
    found = locators.find(page, Target((Locator("css", "#x"),)), 2_000, "attached")
    assert found is not None
    texts = guard.read_click(found).reading.texts()
    assert any(guard.words.normalise(expected) in text for text in texts), texts
