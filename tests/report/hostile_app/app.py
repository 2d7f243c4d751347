"""A tiny Flask app whose route rules, endpoints and docstrings carry markup,
quotes and Unicode bidi controls: `retort report` must show them as text.
Each payload that could run sets a `window.__retort_pwned_*` flag, which the
browser test asserts is absent. test_report_browser.py adds a file with a
hostile *name* at test time (a `"`, `<` or bidi control in a committed file
name would break checkouts on other systems)."""

from flask import Flask

app = Flask(__name__)


@app.route("/<script>window.__retort_pwned_rule=1</script>")
def script_in_rule():
    """<script>window.__retort_pwned_doc=1</script> and a <!-- comment"""
    return "rule"


@app.route("/attr", endpoint='"><img src=x onerror="window.__retort_pwned_endpoint=1">')
def quote_in_endpoint():
    """It's "quoted" & 'single-quoted' </td></tr></table></section>"""
    return "attr"


# An escape sequence: the rule holds U+202E and U+2066 once evaluated.
@app.route("/bidi/\u202eexe.txt\u2066/<int:item_id>")
def bidi_in_rule(item_id):
    """Trojan source: access ‮ granted ⁦// admin only ⁩"""
    return str(item_id)


# The control character itself, as Trojan Source attacks write it.
@app.route("/literal/‮/overrides")
def bidi_literal():
    """A rule with a literal RIGHT-TO-LEFT OVERRIDE."""
    return "literal"


if __name__ == "__main__":
    app.run(debug=True)
