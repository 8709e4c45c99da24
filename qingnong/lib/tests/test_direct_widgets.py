"""The weekly grid's inputs written in Python carry the same attributes and escaped values as
Django's own widgets (attribute order aside), bound or not, valid or not."""
from html.parser import HTMLParser

import pytest
from django import forms

from qingnong.lib.forms import DirectHiddenInput, DirectNumberInput


def attributes(html):
    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))
    Parser().feed(html)
    assert len(found) == 1
    return found[0]


class Both(forms.Form):
    theirs = forms.IntegerField(min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 5}))
    ours = forms.IntegerField(min_value=0, widget=DirectNumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 5}))
    their_hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    our_hidden = forms.CharField(widget=DirectHiddenInput, required=False)


@pytest.mark.parametrize("typed", [None, "12", "", "3<", '"><script>x</script>', "１２"])
def test_direct_inputs_match_djangos(typed):
    data = None if typed is None else {f"form-3-{k}": typed for k in ("theirs", "ours", "their_hidden", "our_hidden")}
    form = Both(data, initial={"theirs": 7, "ours": 7, "their_hidden": "s<", "our_hidden": "s<"}, prefix="form-3")
    if data is not None:
        form.is_valid()
    for theirs, ours in (("theirs", "ours"), ("their_hidden", "our_hidden")):
        tag, a = attributes(str(form[theirs]).replace(theirs, "X"))
        tag2, b = attributes(str(form[ours]).replace(ours, "X"))
        assert (tag, a) == (tag2, b)
    assert "<script>" not in str(form["ours"])
