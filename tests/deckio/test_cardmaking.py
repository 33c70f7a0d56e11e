"""Foreign fields to plain text: what a person reads, in bounded time whatever the input."""

from __future__ import annotations

import time

import pytest

from negodrill.deckio.cardmaking import basic_card, clean_tags, html_to_text


@pytest.mark.parametrize(("html", "text"), [
    ("Is now a <b>bad</b> time?", "Is now a bad time?"),
    ("line one<br>line two<br/>line three", "line one\nline two\nline three"),
    ("<div>first</div><div>second</div>", "first\nsecond"),
    ("<div>Answer</div>1. Is it a bad time?", "Answer\n1. Is it a bad time?"),
    ("<div>line<br></div><div>next</div>", "line\nnext"),
    ("before<br><br>after", "before\n\nafter"),
    ("<ul><li>one</li><li>two</li></ul>after", "one\ntwo\nafter"),
    ("Tom &amp; Jerry &lt;3 &quot;hi&quot; &#x27;x&#39;", "Tom & Jerry <3 \"hi\" 'x'"),
    ("5 < 6 and a<b", "5 < 6 and a<b"),
    ("<script>alert('x')</script><style>p {}</style>kept", "kept"),
    ("a<!-- a comment -->b", "ab"),
    ("<img src=\"photo.jpg\"> [sound:hello.mp3]", ""),
    ("&nbsp;spaced&nbsp;&nbsp; out\t\there ", "spaced out here"),
    ("CRLF\r\nline", "CRLF\nline"),
    ("<table><tr><th>Name</th><th>Age</th></tr><tr><td>Ann</td><td>30</td></tr></table>",
     "Name Age\nAnn 30"),
    ("<ruby>漢字<rt>かんじ</rt></ruby>です", "漢字 (かんじ)です"),
])
def test_html_becomes_the_text_a_person_reads(html: str, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize("hostile", [
    "<script>" * 100_000, "<!--" * 200_000, "<" * 500_000, "<a " * 300_000 + ">",
    "<a" * 300_000, "&" * 900_000, "<p>" * 300_000, "<div>" * 200_000 + "</div>" * 200_000,
])
def test_hostile_markup_takes_linear_time(hostile: str) -> None:
    start = time.perf_counter()
    html_to_text(hostile)
    assert time.perf_counter() - start < 3


def test_a_card_without_a_front_is_not_made_and_long_text_is_cut_visibly() -> None:
    assert basic_card("x", "   ", "back") is None
    card = basic_card("x", "F" * 6000, "", tags=["a b", "a", "t" * 80])
    assert card is not None
    assert len(card["front"]) == 5000
    assert card["front"].endswith("…")
    assert card["back"] == "(empty)"
    assert card["tags"] == ["a", "b", "t" * 64]
    assert clean_tags([f"tag{i}" for i in range(80)]) == [f"tag{i}" for i in range(50)]
