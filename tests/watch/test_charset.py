"""A watched page is decoded with the encoding it declares: the Content-Type header, else its
byte-order mark, else its own <meta charset> (many sites send text/html without a charset and
declare windows-1251 or ISO-8859-1 in the page); decoded as UTF-8, every accented or Cyrillic
letter would become U+FFFD and the names would drift between the page and its copies."""

from __future__ import annotations

from storytrace.watch.watcher import page_charset


def _page(charset_tag: str, text: str, encoding: str) -> bytes:
    return f"<!DOCTYPE html><html><head>{charset_tag}</head><body><p>{text}</p></body></html>".encode(encoding)


def test_meta_charset_is_used_when_the_header_has_none() -> None:
    body = _page('<meta charset="windows-1251">', "Президент Хвидстеен прибыл в Женеву.", "cp1251")
    assert body.decode(page_charset("text/html", body)).endswith("Президент Хвидстеен прибыл в Женеву.</p></body></html>")
    legacy = _page(
        '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">', "Müller sagte, der Vertrag gilt.", "latin-1"
    )
    assert "Müller" in legacy.decode(page_charset("text/html", legacy))


def test_header_wins_then_bom_then_utf8() -> None:
    body = _page('<meta charset="windows-1251">', "Zoë", "utf-8")
    assert page_charset("text/html; charset=UTF-8", body) == "utf-8"
    assert page_charset("text/html; charset=nonsense", _page("", "x", "utf-8")) == "utf-8"
    assert page_charset("text/html", b"\xef\xbb\xbf" + _page("", "Zoë", "utf-8")) == "utf-8-sig"
    assert page_charset("text/html", _page('<meta charset="bogus-enc">', "x", "utf-8")) == "utf-8"
