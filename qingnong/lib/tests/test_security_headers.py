"""Issue 15: security headers on every page (django-csp's Content-Security-Policy, Referrer-Policy,
nosniff, frame denial), and no inline script in any template, which the policy would block."""
import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize("path", ["/login/", "/"])
def test_every_response_carries_the_policy(client_for, world, path):
    response = client_for(world.county_a_admin).get(path)
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no eval
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_has_inline_script_or_handlers():
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: {m}" for m in re.findall(r"\son[a-z]+\s*=", text)]
        found += [f"{path.name}: inline <script>" for m in re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", text)]
        found += [f"{path.name}: javascript: URL" for m in re.findall(r"javascript:", text)]
    assert found == []
