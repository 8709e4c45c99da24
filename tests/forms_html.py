"""What a browser would post from a page's form: every named input, select and textarea with
the value the page rendered (checked boxes and radios only, a select's selected option)."""
from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "", "data": {}}
            self.forms.append(self._form)
        if self._form is None or not a.get("name"):
            return
        data, name = self._form["data"], a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    data[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file", "image", "reset"):
                data[name] = a.get("value") or ""
        elif tag == "select":
            self._select = name
            data.setdefault(name, None)
        elif tag == "option" and self._select:
            if data.get(self._select) is None or "selected" in a:
                data[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            data[name] = ""

    def handle_data(self, text):
        if self._textarea and self._form is not None:
            self._form["data"][self._textarea] += text

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def post_forms(html, url):
    """The page's POST forms aimed at `url` (action empty or equal to it), as {name: value}."""
    parser = _Forms()
    parser.feed(html)
    return [{k: ("" if v is None else v) for k, v in f["data"].items()} for f in parser.forms
            if f["method"] == "post" and f["action"] in ("", url, url.split("?")[0])]
