"""Templates shipped inside the package (the report, the flow skeleton, the flow language's
reference): one way to load them, strict about names a template uses but is not given."""

from __future__ import annotations

import jinja2


def environment(package: str, *, html: bool) -> jinja2.Environment:
    """The Jinja2 templates in `package`'s ``templates/`` folder.

    HTML is autoescaped. Other text (YAML, Markdown) is not, since HTML escapes would corrupt
    it; those templates quote values through filters of their own, and their block tags take
    no lines of their own in the output."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=not html,
        lstrip_blocks=not html,
        keep_trailing_newline=True,
    )
