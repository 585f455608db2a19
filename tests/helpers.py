"""Small helpers the tests share."""


def canonical(text: str) -> str:
    """Text with everything that layout may change removed: spaces, line-end hyphens and
    invisible break characters."""
    return "".join(c for c in text if not c.isspace() and c not in "\u00ad\u200b\u2060-‐")


def text_with_languages(root, inherited: str | None = None,
                        skip=("head", "script", "style")) -> tuple[str, list[str | None]]:
    """The text an (X)HTML element holds, without break opportunities (U+200B), and the
    language of each of its characters: its nearest ``lang`` (or ``xml:lang``), else
    ``inherited``."""
    text: list[str] = []
    languages: list[str | None] = []

    def add(run: str | None, lang: str | None) -> None:
        for char in (run or "").replace("\u200b", ""):
            text.append(char)
            languages.append(lang)

    def walk(element, lang: str | None) -> None:
        if not isinstance(element.tag, str) or element.tag.rsplit("}", 1)[-1] in skip:
            return
        lang = element.get("lang") or element.get("xml:lang") \
            or element.get("{http://www.w3.org/XML/1998/namespace}lang") or lang
        add(element.text, lang)
        for child in element:
            walk(child, lang)
            add(child.tail, lang)
    walk(root, inherited)
    return "".join(text), languages


def language_marks(root, forms, inherited: str | None = None) -> tuple[int, list[str]]:
    """How often the ``forms`` — (form, language tag) — stand in the text of ``root`` as whole
    words, as written, and each occurrence not wholly in an element of its language."""
    import re
    text, languages = text_with_languages(root, inherited)
    found, wrong = 0, []
    for form, tag in forms:
        spelled = "".join("[ \u00a0]" if c == " " else re.escape(c) for c in form)
        for match in re.finditer(rf"(?<!\w){spelled}(?!\w)", text):
            found += 1
            marked = set(languages[match.start():match.end()])
            if marked != {tag}:
                wrong.append(f"{form!r} in {', '.join(sorted(map(str, marked)))}, not {tag}: "
                             f"…{text[max(0, match.start() - 30):match.end() + 30]}…")
    return found, wrong


def marked_runs(root, page_lang: str) -> list[tuple[str, str]]:
    """Each run of the text of ``root`` (in a page in ``page_lang``) marked as written in
    another language, with that language's tag; no-break spaces read as spaces."""
    text, languages = text_with_languages(root, page_lang)
    runs: list[tuple[str, str]] = []
    for index, (char, lang) in enumerate(zip(text.replace("\u00a0", " "), languages)):
        if lang == page_lang:
            continue
        if runs and languages[index - 1] == lang:
            runs[-1] = (runs[-1][0] + char, lang)
        else:
            runs.append((char, lang))
    return runs


# For the Java checkers the tests run (EPUBCheck, the Nu Html Checker): each run is short, and
# the just-in-time compiler's first tier halves its time; code compiled that way takes more
# stack than Java's default thread stack gives the Nu checker's schema.
QUICK_JAVA = ["-XX:TieredStopAtLevel=1", "-Xss8m"]
