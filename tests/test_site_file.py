"""Site files (format 2): a site's settings in one file, what they share written once, each
setting run, verified and scheduled by its own id; and LinkedIn's every data-use switch,
bundled that way, against the replica."""

from __future__ import annotations

from pathlib import Path

import pytest

from optout_bot.flow import FlowErrors, catalog, load_flow, load_flow_text, load_flows
from optout_bot.flow.model import Flow
from optout_bot.replicas.state import SETTINGS
from tests.conftest import LINKEDIN_FLOW, LINKEDIN_SITE

#: A small site file. Tests change one thing in it and assert the place of the error, so the
#: line numbers in the comments matter.
SITE = r"""format: 2
site: Example
version: 2.0.0
last_verified: 2026-11-30
platforms: [desktop, mobile]
allowed_origins: [https://www.example.com]
login:
  url: https://www.example.com/login
  logged_out_urls: ['^https://www\.example\.com/login']
  security_check_urls: []
  signed_in: {css: '#nav'}
routes:
  - id: privacy
    navigate:
      desktop: [goto: 'https://www.example.com/settings', click: {css: '#privacy'}]
      mobile: [goto: 'https://www.example.com/m/settings', click: {css: '#privacy'}]
settings:
  - id: example-ai
    setting: AI training
    description: Stops Example from training on your data.
    setting_url:
      desktop: https://www.example.com/settings/ai
      mobile: https://www.example.com/m/settings/ai
    route: privacy
    navigate:
      desktop: [click: {css: 'a[href$="/ai"]'}]
    switch: {label: Use my data for AI, target: {css: '#ai'}, wanted: off}
  - id: example-ads
    setting: Ads
    category: ads
    description: Stops Example from using your data for ads.
    setting_url:
      desktop: https://www.example.com/settings/ads
      mobile: https://www.example.com/m/settings/ads
    navigate:
      desktop: [goto: 'https://www.example.com/settings/ads']
      mobile: [goto: 'https://www.example.com/m/settings/ads']
    switch: {label: Use my data for ads, target: {css: '#ads'}, wanted: off}
"""
#  line 13: - id: privacy    line 18: - id: example-ai    line 24: route: privacy
#  line 28: - id: example-ads     line 36: desktop: (under its navigate)


def flows_of(text: str) -> dict[str, Flow]:
    return {f.id: f for f in load_flows_text(text)}


def load_flows_text(text: str) -> tuple[Flow, ...]:
    first = load_flow_text(text, "site.yaml", "example-ai")
    second = load_flow_text(text, "site.yaml", "example-ads")
    return first, second


def the_error(text: str) -> str:
    with pytest.raises(FlowErrors) as info:
        load_flow_text(text, "site.yaml", "example-ai")
    errors = [str(e) for e in info.value.errors]
    assert len(errors) == 1, "\n".join(errors)
    return errors[0]


def test_each_setting_becomes_a_flow_with_what_the_site_shares():
    """Each setting is a flow of its own id: the site's origins and sign-in, its own switch,
    and its navigation the shared route's steps followed by its own."""
    flows = flows_of(SITE)
    ai, ads = flows["example-ai"], flows["example-ads"]

    assert (ai.site, ai.category, ads.category) == ("Example", "ai-training", "ads")
    assert ai.allowed_origins == ads.allowed_origins == ("https://www.example.com",)
    assert ai.login == ads.login
    assert [type(s).__name__ for s in ai.navigate["desktop"]] == ["Goto", "Click", "Click"]
    assert [type(s).__name__ for s in ai.navigate["mobile"]] == ["Goto", "Click"]
    assert ai.switch.label == "Use my data for AI" and ads.switch.label == "Use my data for ads"
    assert ai.format == 2


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            "    route: privacy\n",
            "    route: privcy\n",
            "site.yaml:24:12: settings[0].route: no route 'privcy' in routes; did you mean "
            "'privacy'?",
        ),
        (
            SITE[SITE.index("routes:\n") : SITE.index("settings:\n")],
            "",
            "site.yaml:19:12: settings[0].route: no route 'privacy': the file declares no "
            "routes (declare it under `routes:` (an id and its navigate), or remove `route:`)",
        ),
        (
            "  - id: example-ads\n",
            "  - id: example-ai\n",
            "site.yaml:28:9: settings[1].id: id 'example-ai' is used twice in settings "
            "(give each its own id)",
        ),
        (
            "      mobile: [goto: 'https://www.example.com/m/settings/ads']\n",
            "",
            "site.yaml:36:7: settings[1].navigate: missing steps for platform 'mobile', which "
            "platforms lists (add `mobile:` under navigate, or start from a shared `route:`)",
        ),
        (
            "format: 2\n",
            "format: 3\n",
            "site.yaml:1:9: format: this flow needs a newer optout-bot (flow format 3, this "
            "engine understands up to 2); upgrade with `pip install -U optout-bot`",
        ),
    ],
    ids=[
        "unknown route",
        "no routes at all",
        "an id twice",
        "a platform without steps",
        "a newer format",
    ],
)
def test_a_broken_site_file_is_refused_at_its_node(old: str, new: str, error: str):
    text = SITE.replace(old, new)
    assert text != SITE
    assert the_error(text) == error


def test_a_site_file_of_several_settings_needs_to_be_told_which():
    with pytest.raises(FlowErrors) as info:
        load_flow_text(SITE, "site.yaml")
    (error,) = info.value.errors
    assert "this site file describes 2 settings; say which" in str(error)
    assert "example-ai, example-ads" in str(error)
    with pytest.raises(FlowErrors, match="no setting 'example-nope' in this file"):
        load_flow_text(SITE, "site.yaml", "example-nope")


# -- the bundled LinkedIn site file ----------------------------------------------------------

#: The ids of LinkedIn's settings, in the file's order (the replica's keys, in its order).
LINKEDIN_IDS = [
    "linkedin-ai-training",
    "linkedin-research",
    "linkedin-partner-sharing",
    "linkedin-ads-beyond-linkedin",
    "linkedin-ads-business-interactions",
    "linkedin-ads-location",
    "linkedin-ads-age",
    "linkedin-ads-gender",
    "linkedin-ads-insights",
    "linkedin-marketing-promotions",
    "linkedin-ads-interests",
    "linkedin-cookies",
]


def test_the_linkedin_site_file_has_every_switch_the_replica_has():
    flows = load_flows(LINKEDIN_SITE)
    assert [f.id for f in flows] == LINKEDIN_IDS
    keys = [s.key for s in SETTINGS]
    for flow, key in zip(flows, keys, strict=True):
        assert key in flow.switch.target.alternatives[0].value, (flow.id, key)
    assert {f.category for f in flows} == {"ai-training", "research", "sharing", "ads", "cookies"}


def test_the_ai_setting_reads_the_same_in_both_formats():
    """The one-setting file people share (format 1) and the bundled site file's setting of the
    same id describe the same walk (its selectors and its titles), switch, sign-in and pop-ups
    (so existing schedules of linkedin-ai-training keep their meaning)."""
    one = load_flow(LINKEDIN_FLOW)
    site = load_flow(LINKEDIN_SITE, "linkedin-ai-training")

    def walk(flow: Flow, platform: str) -> list[tuple[str, str]]:
        from optout_bot.engine.steps import describe, in_words

        steps = flow.navigate[platform]  # type: ignore[index]
        return [(describe(s), in_words(s)) for s in steps]

    for platform in ("desktop", "mobile"):
        assert walk(one, platform) == walk(site, platform)
    assert one.setting_url == site.setting_url
    assert one.switch.label == site.switch.label and one.switch.wanted == site.switch.wanted
    assert [a.describe() for a in one.switch.target.alternatives] == [
        a.describe() for a in site.switch.target.alternatives
    ]
    assert one.allowed_origins == site.allowed_origins
    assert [p.pattern for p in one.login.logged_out_urls] == [
        p.pattern for p in site.login.logged_out_urls
    ]
    assert len(one.overlays) == len(site.overlays) and len(one.mask) == len(site.mask)


def test_the_catalog_finds_each_setting_by_its_id_or_file_and_id(tmp_path: Path):
    assert catalog.ids_in(LINKEDIN_SITE) == LINKEDIN_IDS
    bundled = catalog.bundled_flows()
    assert all(
        bundled[i] == LINKEDIN_SITE.resolve() or bundled[i] == LINKEDIN_SITE for i in LINKEDIN_IDS
    )
    assert catalog.locate("linkedin-research")[1] == "linkedin-research"
    path, which = catalog.locate(f"{LINKEDIN_SITE}#linkedin-ads-age")
    assert (path, which) == (LINKEDIN_SITE, "linkedin-ads-age")
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: [\n")
    assert catalog.ids_in(broken) == ["broken"]  # its name: loading it says what is wrong


# -- on the replica ----------------------------------------------------------------------------


@pytest.fixture
def every(run_cli, replica, tmp_path):
    """`every("run", "--yes")`: every LinkedIn setting but the AI one (covered in
    test_linkedin_flow.py) in one run against the replica, headless, JSON out."""
    every_id = LINKEDIN_IDS[1:]

    def cli(mode: str, *extra: str, ids: list[str] = every_id):
        return run_cli(
            mode, *ids, "--headless", "--json", "--replica", f"127.0.0.1:{replica.port}",
            "--evidence-dir", str(tmp_path / "evidence"), "--timeout", "10", *extra,
        )  # fmt: skip

    cli.ids = every_id  # type: ignore[attr-defined]
    return cli


#: A setting of each route (Data privacy, Advertising data) and the cookie setting, whose page
#: is of its own kind, for what every setting does alike (the test above walks each of them).
SOME = ["linkedin-research", "linkedin-ads-age", "linkedin-cookies"]


def _others(replica) -> dict[str, bool]:
    settings = replica.state.settings_of("member@example.com")
    assert settings.pop("allowDataForGenerativeAI") is True  # never asked for
    return settings


@pytest.mark.parametrize("platform", ["desktop", "mobile"])
def test_every_linkedin_setting_is_switched_off_and_proved(
    every, replica, sign_in_profile, platform
):
    """Every other LinkedIn switch, in one run: each walked to through the menus, switched
    off, proved after a reload; a verify of them all then agrees, and changes nothing."""
    sign_in_profile()

    result = every("run", "--yes", "--platform", platform)

    assert result.code == 0, result.out
    assert [r["flow"] for r in result.json["results"]] == every.ids
    assert all(r["state_after"] == "off" and r["persisted"] for r in result.json["results"])
    assert not any(_others(replica).values())
    writes = len(replica.writes)
    assert every("verify", "--platform", platform).code == 0
    assert len(replica.writes) == writes


def test_every_linkedin_setting_turned_back_on_is_drift(every, replica, sign_in_profile):
    sign_in_profile()
    result = every("verify", ids=SOME)
    assert result.code == 3, result.out
    assert [r["status"] for r in result.json["results"]] == ["drift"] * len(SOME)
    assert replica.writes == []  # verify never writes


def test_every_linkedin_setting_signed_out_is_login_needed_nothing_clicked(every, replica):
    """A profile that is not signed in: each setting ends as login needed (exit 4), and
    nothing is clicked or saved."""
    result = every("run", "--yes", ids=SOME)
    assert result.code == 4, result.out
    assert [r["status"] for r in result.json["results"]] == ["login_required"] * len(SOME)
    assert replica.writes == []
    assert all(_others(replica).values())


def test_every_linkedin_setting_whose_save_fails_is_never_reported_switched_off(
    every, replica, sign_in_profile
):
    sign_in_profile()
    replica.scenario.save_fails = True
    result = every("run", "--yes", ids=SOME)
    assert result.code != 0, result.out
    assert [r["exit_code"] != 0 for r in result.json["results"]] == [True] * len(SOME)
    assert all(_others(replica).values())


def test_a_shared_site_file_is_installed_under_its_site_and_overrides_by_id(run_cli, tmp_path):
    """`flows add` keeps a site file under the site's name; its settings then override the
    bundled ones of the same ids, and each runs by its id."""
    shared = tmp_path / "from-a-friend.yaml"
    shared.write_text(LINKEDIN_SITE.read_text().replace('version: "2.0.0"', 'version: "2.1.0"'))

    added = run_cli("flows", "add", str(shared))

    assert added.code == 0, added.err
    first, overrides = added.out.splitlines()
    assert first.startswith("installed linkedin-ai-training, ") and first.endswith("linkedin.yaml")
    assert overrides.startswith("it overrides the bundled linkedin-ai-training, linkedin-research")
    listed = run_cli("flows").out
    research = next(line for line in listed.splitlines() if line.startswith("linkedin-research "))
    assert "2.1.0" in research and "user (overrides the bundled one)" in research
    plan = run_cli("verify", "linkedin-research", "--dry-run")
    assert plan.code == 0 and "linkedin-research 2.1.0" in plan.out


def test_one_setting_of_a_file_is_named_by_file_and_id(run_cli):
    plan = run_cli("run", f"{LINKEDIN_SITE}#linkedin-ads-gender", "--dry-run")
    assert plan.code == 0, plan.out
    assert "linkedin-ads-gender 2.0.0" in plan.out and "allowAdsByGender" in plan.out
    which = run_cli("run", str(LINKEDIN_SITE), "--dry-run")
    assert which.code == 2
    assert "this site file describes 12 settings; say which" in which.out + which.err
