"""French elision where a name fills a placeholder: "habitants de %(commune)s" with Amay reads
"habitants d’Amay", with Liège "habitants de Liège".

The catalogs cannot know which name will come; the formatting step does. Every translated
string, in Python (`gettext`, `ngettext`, lazy strings) and in templates (`_()`, `{% trans %}`),
is formatted through `format_message`.
"""

from __future__ import annotations

import re

from flask_babel import Domain, get_locale
from jinja2 import pass_context
from markupsafe import Markup

# "de", "que" and their compounds before a placeholder: the words French elides before a vowel.
ELIDABLE = re.compile(r"\b(de|De|que|Que|jusque|Jusque|lorsque|Lorsque|puisque|Puisque) "
                      r"%\((\w+)\)([sd])")
VOWEL = re.compile(r"[AEIOUYaeiouyÀÂÄÉÈÊËÎÏÔÖÙÛÜàâäéèêëîïôöùûü]")


def elide(template: str, variables: dict) -> str:
    """Return the template with "de %(name)s" as "d’%(name)s" before a vowel."""

    def shorten(match: re.Match) -> str:
        value = str(variables.get(match[2], ""))
        if not VOWEL.match(value):
            return match[0]
        return f"{match[1][:-1]}’%({match[2]}){match[3]}"

    return ELIDABLE.sub(shorten, template)


def format_message(template: str, variables: dict) -> str:
    """Fill a translated template, eliding before vowels in French."""
    if variables and "%(" in template and _is_french():
        elided = elide(str(template), variables)
        template = Markup(elided) if isinstance(template, Markup) else elided
    return template % variables if variables else template


def _is_french() -> bool:
    locale = get_locale()
    return locale is not None and locale.language == "fr"


class ElidingDomain(Domain):
    """Flask-Babel's domain, formatting through `format_message`."""

    def gettext(self, string, **variables):
        return format_message(self.get_translations().ugettext(string), variables)

    def ngettext(self, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return format_message(self.get_translations().ungettext(singular, plural, num),
                              variables)


def init_app(app) -> None:
    """Format Python's and the templates' translated strings through `format_message`."""
    from .extensions import babel

    # One domain for every app of the process: its directories come from the current app.
    if not isinstance(babel.__dict__.get("domain_instance"), ElidingDomain):
        babel.domain_instance = ElidingDomain()

    def translations():
        return babel.domain_instance.get_translations()

    # As Jinja's "newstyle" gettext: autoescaped strings stay Markup, the values are escaped.
    @pass_context
    def template_gettext(context, string, **variables):
        text = context.call(lambda s: translations().ugettext(s), string)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return format_message(text, variables)

    @pass_context
    def template_ngettext(context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        text = context.call(lambda s, p, n: translations().ungettext(s, p, n),
                            singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return format_message(text, variables)

    app.jinja_env.globals.update(gettext=template_gettext, _=template_gettext,
                                 ngettext=template_ngettext)
