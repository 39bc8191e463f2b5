"""On a phone (360 × 740): results first, nothing wider than the screen, nothing cut."""

import pytest
from browser_helpers import PHONE, RESULT_ITEMS, SCHAERBEEK

pytestmark = pytest.mark.browser

LANGS = ["fr", "nl", "de", "en"]
PUBLIC_PAGES = [
    "/{lang}/", f"/{{lang}}/search?commune={SCHAERBEEK}", "/{lang}/search?q=amende+SAC",
    f"/{{lang}}/communes/{SCHAERBEEK}", "/{lang}/guide", "/{lang}/about", "/{lang}/privacy",
    "/{lang}/accessibility", "/{lang}/open-data", "/{lang}/search?near=49.6,2.5",
]

# Elements wider than the page, or text cut in a box: an empty list when all is well.
WIDER_THAN_PAGE = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter(el => el.getClientRects().length && el.getBoundingClientRect().right > width + 1
                  && !el.closest(".leaflet-container, .visually-hidden, .skip-link"))
    .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + "." + el.className);
}"""
CUT_TEXT = """() => {
  const context = document.createElement("canvas").getContext("2d");
  const cut = [];
  const measure = (el, text) => {
    const style = getComputedStyle(el);
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    return context.measureText(text).width;
  };
  const inner = el => {
    const style = getComputedStyle(el);
    return el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  };
  for (const select of document.querySelectorAll("select")) {
    for (const option of select.options) {  // the arrow takes about 20 px
      if (measure(select, option.text) > inner(select) - 20) cut.push(`${select.id}: ${option.text}`);
    }
  }
  for (const input of document.querySelectorAll("input[placeholder]")) {
    if (measure(input, input.placeholder) > inner(input)) cut.push(`${input.id}: ${input.placeholder}`);
  }
  return cut;
}"""


def phone_page(new_page):
    return new_page(viewport=PHONE, is_mobile=True, has_touch=True)


@pytest.mark.parametrize("lang", LANGS)
def test_no_horizontal_scroll_and_nothing_cut_at_360_px(new_page, lang):
    page = phone_page(new_page)
    for path in PUBLIC_PAGES:
        page.goto(path.format(lang=lang))
        page.wait_for_load_state("load")
        scroll = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll[0] <= scroll[1], f"{path.format(lang=lang)} scrolls sideways: {scroll}"
        assert page.evaluate(WIDER_THAN_PAGE) == [], path.format(lang=lang)
        assert page.evaluate(CUT_TEXT) == [], path.format(lang=lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_first_covering_service_starts_on_the_first_screen(new_page, lang):
    page = phone_page(new_page)
    page.goto(f"/{lang}/search?commune={SCHAERBEEK}")
    page.wait_for_load_state("load")
    first = page.locator(RESULT_ITEMS).first
    assert first.get_attribute("data-covers") == "true"
    top = page.evaluate("el => el.getBoundingClientRect().top + window.scrollY",
                        first.element_handle())
    assert top < PHONE["height"], f"the first service starts at {top:.0f} px"


@pytest.mark.parametrize("lang", LANGS)
def test_a_result_card_names_the_commune_once(new_page, lang):
    page = phone_page(new_page)
    page.goto(f"/{lang}/search?commune={SCHAERBEEK}")
    name = "Schaarbeek" if lang == "nl" else "Schaerbeek"
    cards = page.locator(".results .result-list:not(.elsewhere-list) > li")
    assert cards.count()
    for card in cards.all():
        # The service's own name and its organisation's are the service's words, not ours.
        said = card.evaluate("""li => [...li.querySelectorAll('article > :not(.result-name, .organization)')]
                                .map(el => el.innerText).join(' ')""")
        assert said.count(name) <= 1, said
